using System.Security.Cryptography;
using System.Text;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>
/// A <see cref="VectorCollection"/> on disk under <c>&lt;data&gt;/indexes/</c>, so a restart does
/// not rebuild a large graph. The database stays the source of truth: the header records the highest
/// chunk key covered, and the loader brings the snapshot level with the database (new rows by key,
/// deleted rows by a key check). Written to a temporary file, flushed to disk and renamed over the
/// old one, so a crash leaves the previous snapshot or none, never half of one; a checksum over
/// everything after it catches the rest (torn disks, copies, edits).
/// </summary>
/// <remarks>
/// Layout (little-endian): "CASSVIDX" | format version (int32) | XXH3-64 of the remaining bytes |
/// organization id | model id | dimensions | covered key | rows | tombstones | vectors | graph.
/// </remarks>
public static class VectorSnapshotFile
{
    /// <summary>Bump on any layout change: an older file is then rebuilt, never misread.</summary>
    public const int FormatVersion = 1;

    private static readonly byte[] Magic = "CASSVIDX"u8.ToArray();

    /// <summary>One file per (organization, model); hashed because ids may hold characters file systems refuse.</summary>
    public static string PathFor(string directory, string organizationId, string modelId) =>
        Path.Combine(directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{organizationId}\n{modelId}")))[..32] + ".vidx");

    public static void Save(string path, string organizationId, VectorCollection collection)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                file.Write(Magic);
                file.Write(BitConverter.GetBytes(FormatVersion));
                var checksumAt = file.Position;
                file.Write(new byte[sizeof(ulong)]);
                var hashing = new HashingStream(file);
                using (var writer = new BinaryWriter(new BufferedStream(hashing, 1 << 20), Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(organizationId);
                    writer.Write(collection.ModelId);
                    writer.Write(collection.Dimensions);
                    writer.Write(collection.CoveredSeq);
                    collection.WriteTo(writer);
                }

                file.Position = checksumAt;
                file.Write(BitConverter.GetBytes(hashing.Hash));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The collection stored at <paramref name="path"/>, or null with the reason it cannot be used.</summary>
    public static (VectorCollection? Collection, string Reason) TryLoad(string path, string organizationId, string modelId)
    {
        if (!File.Exists(path))
        {
            return (null, "no snapshot");
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Span<byte> head = stackalloc byte[Magic.Length + sizeof(int) + sizeof(ulong)];
            file.ReadExactly(head);
            if (!head[..Magic.Length].SequenceEqual(Magic))
            {
                return (null, "not a snapshot");
            }

            if (BitConverter.ToInt32(head[Magic.Length..]) != FormatVersion)
            {
                return (null, "other format version");
            }

            var expected = BitConverter.ToUInt64(head[(Magic.Length + sizeof(int))..]);
            var hashing = new HashingStream(file);
            using var reader = new BinaryReader(new BufferedStream(hashing, 1 << 20), Encoding.UTF8);
            if (reader.ReadString() != organizationId || reader.ReadString() != modelId)
            {
                return (null, "other organization or model");
            }

            var dimensions = reader.ReadInt32();
            var covered = reader.ReadInt64();
            if (dimensions is < 1 or > 16_384)
            {
                return (null, "dimensions out of range");
            }

            var collection = VectorCollection.ReadFrom(reader, modelId, dimensions, covered, (int)Math.Min(file.Length / (dimensions * sizeof(float)), int.MaxValue));
            if (reader.BaseStream.ReadByte() != -1)
            {
                collection.Dispose();
                return (null, "trailing bytes");
            }

            if (hashing.Hash != expected)
            {
                collection.Dispose();
                return (null, "checksum mismatch");
            }

            return (collection, "snapshot");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or FormatException or IndexOutOfRangeException or OutOfMemoryException)
        {
            return (null, $"unreadable ({e.GetType().Name})");
        }
    }
}
