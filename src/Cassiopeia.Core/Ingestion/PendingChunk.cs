namespace Cassiopeia.Core.Ingestion;

/// <summary>A chunk being packed: its pieces (the overlap first) and running token estimates.</summary>
internal sealed class PendingChunk
{
    // What each piece added to the estimate (its separator and tokens), so pieces can be taken back.
    private readonly List<int> _costs = [];

    public List<ChunkPiece> Pieces { get; } = [];

    public int OverlapCount { get; private set; }

    /// <summary>estimated tokens of the whole chunk, overlap included.</summary>
    public int Tokens { get; private set; }

    /// <summary>Estimated tokens of the chunk's own text, without the overlap.</summary>
    public int OwnTokens { get; private set; }

    public bool HasOwnContent => Pieces.Count > OverlapCount;

    public ChunkPiece? Last => Pieces.Count > 0 ? Pieces[^1] : null;

    public void Append(ChunkPiece piece, int separatorTokens, bool overlap)
    {
        var cost = separatorTokens + piece.Tokens;
        Pieces.Add(piece);
        _costs.Add(cost);
        Tokens += cost;
        if (overlap)
        {
            OverlapCount++;
        }
        else
        {
            OwnTokens += cost;
        }
    }

    public List<ChunkPiece> DetachTrailingHeadings()
    {
        var start = Pieces.Count;
        while (start > OverlapCount && Pieces[start - 1].Kind == BlockKind.Heading)
        {
            start--;
        }

        var detached = Pieces[start..];
        var cost = _costs.Skip(start).Sum();
        Tokens -= cost;
        OwnTokens -= cost;
        Pieces.RemoveRange(start, Pieces.Count - start);
        _costs.RemoveRange(start, _costs.Count - start);
        return detached;
    }
}
