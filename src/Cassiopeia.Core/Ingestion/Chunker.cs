namespace Cassiopeia.Core.Ingestion;

// Placeholder with the agreed shape; replaced by the structure-following chunker.
public sealed class ChunkingOptions
{
    public int TargetTokens { get; set; } = 384;

    public int MaxTokens { get; set; } = 512;

    public int OverlapTokens { get; set; } = 48;

    public int MinTokens { get; set; } = 32;
}

public sealed record ChunkDraft(int Ordinal, string Text, int? Page, string HeadingPath, int TokenCount, bool Suspect);

public sealed class Chunker(ChunkingOptions options)
{
    public IReadOnlyList<ChunkDraft> Chunk(ExtractedDocument document, ITokenCounter tokens)
    {
        var list = new List<ChunkDraft>();
        foreach (var block in document.Blocks)
        {
            list.Add(new ChunkDraft(list.Count, block.Text, block.Page, string.Empty, Math.Min(options.MaxTokens, tokens.CountTokens(block.Text)), block.Hidden is not null));
        }

        return list;
    }
}
