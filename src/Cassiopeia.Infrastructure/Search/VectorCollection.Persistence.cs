using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.Infrastructure.Search;

public sealed partial class VectorCollection
{
    /// <summary>Rows, tombstones, vectors and graph. The caller holds the writer's turn, so the collection is still.</summary>
    public void WriteTo(BinaryWriter writer)
    {
        _lock.EnterReadLock();
        try
        {
            writer.Write(Count);
            writer.Write(OrganizationCount);
            for (var node = 0; node < Count; node++)
            {
                writer.Write(_seqs[node]);
                writer.Write(_chunkIds[node]);
                writer.Write(_documentIds[node]);
                writer.Write(_deleted[node]);
            }

            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_vectors.Rows(Count)));
            writer.Write(_graph is not null);
            _graph?.Write(writer);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Reads what <see cref="WriteTo"/> wrote; <paramref name="maxRows"/> bounds allocations when the file lies.</summary>
    public static VectorCollection ReadFrom(BinaryReader reader, string modelId, int dimensions, long coveredSeq, int maxRows)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > maxRows)
        {
            throw new InvalidDataException($"Row count {count} out of range.");
        }

        var collection = new VectorCollection(modelId, dimensions, Math.Max(count, 16)) { CoveredSeq = coveredSeq, OrganizationCount = reader.ReadInt32() };
        var rows = new (long Seq, string Chunk, string Document, bool Deleted)[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = (reader.ReadInt64(), reader.ReadString(), reader.ReadString(), reader.ReadBoolean());
        }

        var vector = new float[dimensions];
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan());
        for (var i = 0; i < count; i++)
        {
            reader.BaseStream.ReadExactly(bytes);
            collection.AddUnlocked(rows[i].Seq, rows[i].Chunk, rows[i].Document, vector);
        }

        for (var i = 0; i < count; i++)
        {
            if (rows[i].Deleted && !collection._deleted[i])
            {
                collection.Tombstone(i);
            }
        }

        if (reader.ReadBoolean())
        {
            collection._graph = HnswGraph.Read(reader, collection._vectors);
            if (collection._graph.Count != count)
            {
                throw new InvalidDataException($"Graph holds {collection._graph.Count} nodes for {count} rows.");
            }
        }

        return collection;
    }
}
