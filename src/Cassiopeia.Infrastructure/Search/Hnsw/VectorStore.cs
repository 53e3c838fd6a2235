namespace Cassiopeia.Infrastructure.Search.Hnsw;

/// <summary>
/// Fixed-length float32 rows in one growing array, so a scan or a graph walk touches contiguous
/// memory and the garbage collector sees one object instead of a million. Rows are append-only:
/// a row once written never changes, which lets a builder read old rows while a writer appends.
/// </summary>
public sealed class VectorStore
{
    private float[] _values;
    private int _count;

    public VectorStore(int dimensions, int capacity = 16)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
        _values = new float[(long)Math.Max(capacity, 1) * dimensions];
    }

    public int Dimensions { get; }

    public int Count => Volatile.Read(ref _count);

    public ReadOnlySpan<float> this[int row] => _values.AsSpan(row * Dimensions, Dimensions);

    /// <summary>Appends a row and returns its index. Not thread-safe: one writer at a time.</summary>
    public int Add(ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Expected {Dimensions} values, got {vector.Length}.", nameof(vector));
        }

        var row = _count;
        if ((long)(row + 1) * Dimensions > _values.Length)
        {
            // Doubling keeps appends amortised O(1); readers holding the old array still see every row they knew.
            var grown = new float[Math.Min((long)Math.Max(row, 16) * 2 * Dimensions, Array.MaxLength / Dimensions * Dimensions)];
            _values.AsSpan(0, row * Dimensions).CopyTo(grown);
            _values = grown;
        }

        vector.CopyTo(_values.AsSpan(row * Dimensions, Dimensions));
        Volatile.Write(ref _count, row + 1);
        return row;
    }

    /// <summary>The raw rows, for persistence.</summary>
    public ReadOnlySpan<float> Rows(int count) => _values.AsSpan(0, count * Dimensions);
}
