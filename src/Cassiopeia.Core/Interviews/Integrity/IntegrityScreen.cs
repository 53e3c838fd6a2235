using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Interviews.Matching;

namespace Cassiopeia.Core.Interviews.Integrity;

/// <summary>A stored chunk as the match reads it.</summary>
public sealed record StoredChunk(string DocumentId, string ChunkId, string Text, bool Suspect, string ModelId, byte[] Vector, string HeadingPath);

/// <summary>
/// A chunk after screening: the sentences that may count as evidence (none for a chunk holding hidden
/// text), and whether any were removed (then its stored vector no longer describes what counts).
/// </summary>
public sealed record ScreenedChunk(StoredChunk Chunk, IReadOnlyList<string> Sentences, bool Cleaned)
{
    public bool Usable => Sentences.Count > 0;

    public string UsableText => Cleaned ? string.Join('\n', Sentences) : Chunk.Text;
}

/// <summary>
/// The integrity rules of a match. A chunk that holds text hidden from a human reader (marked
/// suspect at extraction) never counts, whatever else it holds; in other chunks, each sentence
/// written to a model (<see cref="InstructionText"/>) is removed. Both are reported as flags, at most
/// <see cref="MaxFlags"/> per match, each quoting at most <see cref="QuoteLength"/> characters.
/// </summary>
public static class IntegrityScreen
{
    public const int MaxFlags = 20;
    public const int QuoteLength = 160;

    public static IReadOnlyList<ScreenedChunk> Screen(IReadOnlyList<StoredChunk> chunks, List<IntegrityFlag> flags)
    {
        var screened = new List<ScreenedChunk>(chunks.Count);
        foreach (var chunk in chunks)
        {
            var sentences = SentenceSplitter.Split(chunk.Text);
            if (chunk.Suspect)
            {
                Add(flags, new IntegrityFlag(IntegrityFlagTypes.HiddenText, chunk.DocumentId, chunk.ChunkId, Quote(chunk.Text)));
            }

            var kept = new List<string>(sentences.Count);
            foreach (var sentence in sentences)
            {
                if (InstructionText.IsInstruction(sentence))
                {
                    Add(flags, new IntegrityFlag(IntegrityFlagTypes.Instruction, chunk.DocumentId, chunk.ChunkId, Quote(sentence)));
                }
                else if (!chunk.Suspect)
                {
                    kept.Add(sentence);
                }
            }

            screened.Add(new ScreenedChunk(chunk, kept, Cleaned: !chunk.Suspect && kept.Count < sentences.Count));
        }

        return screened;
    }

    /// <summary>The start of <paramref name="text"/>, cut at a word, at most <paramref name="length"/> characters.</summary>
    public static string Quote(string text, int length = QuoteLength)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        if (flat.Length <= length)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', length - 1);
        return flat[..(cut > length / 2 ? cut : length)];
    }

    private static void Add(List<IntegrityFlag> flags, IntegrityFlag flag)
    {
        if (flags.Count < MaxFlags)
        {
            flags.Add(flag);
        }
    }
}
