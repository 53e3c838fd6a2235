using System.Security.Cryptography;
using System.Text.Json;

namespace Cassiopeia.Infrastructure.Security;

/// <summary>One key of a ring: its id and 256 bits of key material.</summary>
public sealed record RingKey(string Id, byte[] Key);

/// <summary>
/// A JSON file of 256-bit keys, newest last, readable by the service's user only. Used for the
/// access-token signing keys and the storage master keys. <see cref="Rotate"/> appends a new
/// newest key; older keys stay for verifying and unwrapping until an operator removes them.
/// </summary>
public static class KeyRingFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Reads the ring, creating it with one key when the file does not exist.</summary>
    public static IReadOnlyList<RingKey> LoadOrCreate(string file)
    {
        if (!File.Exists(file))
        {
            Rotate(file);
        }

        var entries = JsonSerializer.Deserialize<List<KeyEntry>>(File.ReadAllText(file), Json);
        if (entries is not { Count: > 0 })
        {
            throw new InvalidOperationException($"The key ring {file} holds no keys.");
        }

        return entries.ConvertAll(e => new RingKey(e.Kid, Convert.FromBase64String(e.Key)));
    }

    /// <summary>Adds a new newest key to the ring file (creating it), and returns its id.</summary>
    public static string Rotate(string file)
    {
        // A folder we create holds only keys: owner-only. An existing one is the operator's to set.
        OwnerOnlyDirectory.Create(Path.GetDirectoryName(Path.GetFullPath(file))!);

        var entries = File.Exists(file) ? JsonSerializer.Deserialize<List<KeyEntry>>(File.ReadAllText(file), Json) ?? [] : [];
        var kid = $"k{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        entries.Add(new KeyEntry(kid, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow));

        // Write beside, restrict, then rename: the ring is never seen half-written or world-readable.
        var temporary = file + ".tmp";
        File.Delete(temporary);
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, streamOptions))
        {
            JsonSerializer.Serialize(stream, entries, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
        return kid;
    }

    private sealed record KeyEntry(string Kid, string Key, DateTime CreatedAt);
}
