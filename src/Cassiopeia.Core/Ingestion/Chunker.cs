namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// Splits extracted text into chunks that follow the document's structure and fit the embedding
/// model: blocks are packed up to <see cref="ChunkingOptions.TargetTokens"/>, sections start new
/// chunks, a block is split (by sentences, then words) only when it alone exceeds
/// <see cref="ChunkingOptions.MaxTokens"/>, and every chunk counts at most that many tokens with the
/// given counter. The same input always yields the same chunks, so ingestion stays idempotent.
/// </summary>
public static class Chunker
{
    public static IReadOnlyList<ChunkDraft> Split(ExtractedDocument document, ITokenCounter counter, ChunkingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(counter);
        options ??= ChunkingOptions.Default;
        options.Validate();
        return new ChunkBuilder(counter, options).Build(document.Blocks);
    }
}

/// <summary>
/// One chunk before it is embedded. <paramref name="HeadingPath"/> is the heading stack where the
/// chunk's own text starts ("Experience > Acme Corp"), <paramref name="Page"/> the page of its first
/// block (not counting the overlap carried from the previous chunk), <paramref name="TokenCount"/>
/// the counter's count of <paramref name="Text"/>, and <paramref name="Suspect"/> is true when any of
/// the text was hidden from a human reader of the source.
/// </summary>
public sealed record ChunkDraft(int Ordinal, string Text, int? Page, string HeadingPath, int TokenCount, bool Suspect);

/// <summary>Chunk sizes in tokens of the embedding model's tokenizer.</summary>
public sealed record ChunkingOptions
{
    public static ChunkingOptions Default { get; } = new();

    /// <summary>Blocks are packed together up to this size.</summary>
    public int TargetTokens { get; init; } = 384;

    /// <summary>Hard bound on every chunk (the model's input limit or below).</summary>
    public int MaxTokens { get; init; } = 512;

    /// <summary>Trailing sentences of a chunk repeated at the start of the next one in the same section (~12%).</summary>
    public int OverlapTokens { get; init; } = 48;

    /// <summary>A chunk smaller than this is merged with its neighbour when they fit together.</summary>
    public int MinTokens { get; init; } = 64;

    internal void Validate()
    {
        if (MaxTokens < 1 || TargetTokens < 1 || TargetTokens > MaxTokens)
        {
            throw new ArgumentException("Chunking needs 1 <= TargetTokens <= MaxTokens.");
        }

        if (OverlapTokens < 0 || OverlapTokens >= TargetTokens || MinTokens < 0 || MinTokens > TargetTokens)
        {
            throw new ArgumentException("Chunking needs 0 <= OverlapTokens < TargetTokens and 0 <= MinTokens <= TargetTokens.");
        }
    }
}
