using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.UnitTests.Ingestion;

/// <summary>One token per whitespace-separated word.</summary>
internal sealed class WordCounter : ITokenCounter
{
    public long CharactersCounted { get; private set; }

    public int CountTokens(string text)
    {
        CharactersCounted += text.Length;
        return text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
    }
}

/// <summary>One token per four characters, whitespace included, like a byte-pair tokenizer on English.</summary>
internal sealed class QuarterCharacterCounter : ITokenCounter
{
    public int CountTokens(string text) => (text.Length + 3) / 4;
}

/// <summary>Not additive: a text costs more than its parts (one extra token per ten words), as joins do in real tokenizers.</summary>
internal sealed class SuperAdditiveCounter : ITokenCounter
{
    public int CountTokens(string text)
    {
        var words = text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
        return words + (words / 10);
    }
}
