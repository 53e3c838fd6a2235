using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// The word tokenizer of the static embedders: runs of letters and digits, everything else a
/// separator. GloVe's vocabulary was lower-cased and split the same way for words, so a word found
/// here is looked up as is.
/// </summary>
public static class Words
{
    /// <summary>Longer runs (URLs, hashes, base64) are not words of any vocabulary and are skipped.</summary>
    public const int MaxLength = 48;

    public static WordEnumerator Enumerate(ReadOnlySpan<char> text) => new(text);

    public static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var _ in Enumerate(text))
        {
            count++;
        }

        return count;
    }

    /// <summary>Lower-cases <paramref name="word"/> into <paramref name="buffer"/> (at least <see cref="MaxLength"/> long).</summary>
    public static ReadOnlySpan<char> Lower(ReadOnlySpan<char> word, Span<char> buffer)
    {
        var written = word.ToLowerInvariant(buffer);
        return buffer[..written];
    }

    public ref struct WordEnumerator(ReadOnlySpan<char> text)
    {
        private readonly ReadOnlySpan<char> _text = text;
        private int _next;

        public ReadOnlySpan<char> Current { get; private set; }

        public readonly WordEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            while (_next < _text.Length)
            {
                var start = _next;
                while (start < _text.Length && !char.IsLetterOrDigit(_text[start]))
                {
                    start++;
                }

                var end = start;
                while (end < _text.Length && char.IsLetterOrDigit(_text[end]))
                {
                    end++;
                }

                _next = end;
                if (end > start && end - start <= MaxLength)
                {
                    Current = _text[start..end];
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>Token count of the static embedders: words as <see cref="Words"/> splits them.</summary>
public sealed class WordTokenCounter : ITokenCounter
{
    public static readonly WordTokenCounter Instance = new();

    public int CountTokens(string text) => Words.Count(text);
}
