namespace Cassiopeia.Infrastructure.Search.Hnsw;

public sealed partial class HnswGraph
{
    /// <summary>Writes the links (not the vectors: the owner persists the store beside them).</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(_m);
        writer.Write(_efConstruction);
        writer.Write(_random);
        writer.Write(_count);
        writer.Write(_entry);
        writer.Write(_maxLevel);
        writer.Write(_levels.AsSpan(0, _count));
        WriteInts(writer, _layer0.AsSpan(0, _count * (_m0 + 1)));
        for (var node = 0; node < _count; node++)
        {
            if (_levels[node] > 0)
            {
                WriteInts(writer, _upper[node]);
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote; the level generator continues where it stopped.</summary>
    public static HnswGraph Read(BinaryReader reader, VectorStore vectors)
    {
        var m = reader.ReadInt32();
        var efConstruction = reader.ReadInt32();
        var random = reader.ReadUInt64();
        var count = reader.ReadInt32();
        if (m is < 2 or > 1024 || count < 0 || count > vectors.Count)
        {
            throw new InvalidDataException("Graph header out of range.");
        }

        var graph = new HnswGraph(vectors, new HnswParameters { M = m, EfConstruction = efConstruction, Seed = random });
        graph.EnsureCapacity(Math.Max(count, 1));
        graph._count = count;
        graph._entry = reader.ReadInt32();
        graph._maxLevel = reader.ReadInt32();
        if (graph._entry < -1 || graph._entry >= count || graph._maxLevel > 32)
        {
            throw new InvalidDataException("Graph entry point out of range.");
        }

        ReadExactly(reader, graph._levels.AsSpan(0, count));
        ReadInts(reader, graph._layer0.AsSpan(0, count * (graph._m0 + 1)));
        for (var node = 0; node < count; node++)
        {
            var level = graph._levels[node];
            graph._upper[node] = level == 0 ? [] : new int[level * (m + 1)];
            ReadInts(reader, graph._upper[node]);
        }

        graph.Validate();
        return graph;
    }

    /// <summary>A checksum catches damage, not a wrong writer: every link must name a node, so a search can never index out of range.</summary>
    private void Validate()
    {
        for (var node = 0; node < _count; node++)
        {
            for (var layer = 0; layer <= _levels[node]; layer++)
            {
                var links = Links(node, layer);
                if ((uint)links[0] > (uint)(links.Length - 1))
                {
                    throw new InvalidDataException($"Node {node} has {links[0]} links on layer {layer}.");
                }

                foreach (var link in links[1..(links[0] + 1)])
                {
                    if ((uint)link >= (uint)_count || _levels[link] < layer || link == node)
                    {
                        throw new InvalidDataException($"Node {node} links to missing node {link} on layer {layer}.");
                    }
                }
            }
        }
    }

    private static void WriteInts(BinaryWriter writer, ReadOnlySpan<int> values) =>
        writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    private static void ReadInts(BinaryReader reader, Span<int> values) =>
        ReadExactly(reader, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    private static void ReadExactly(BinaryReader reader, Span<byte> bytes) => reader.BaseStream.ReadExactly(bytes);
}
