using System.Globalization;
using System.Text;

namespace Cassiopeia.Bench;

/// <summary>
/// Synthetic documents for the search benchmark: pseudo-words from syllables, each document on one
/// of a few hundred topics that favour their own words, so chunks cluster the way real corpora do
/// and queries (a few words of a topic) have true neighbours. Seeded: the same corpus every run.
/// </summary>
public sealed class SearchCorpus
{
    public const int ChunksPerDocument = 20;
    private const int Topics = 500;
    private const int WordsPerTopic = 40;
    private const int WordsPerChunk = 30;
    private static readonly string[] Syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fi", "gu", "ha", "je", "ko", "ly", "mo", "nu", "qui", "re", "si", "to", "wa"];

    private readonly string[] _words;
    private readonly int[][] _topicWords;

    public SearchCorpus(int seed = 1)
    {
        var random = new Random(seed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < 6_000)
        {
            var length = random.Next(2, 5);
            var word = new StringBuilder();
            for (var s = 0; s < length; s++)
            {
                word.Append(Syllables[random.Next(Syllables.Length)]);
            }

            words.Add(word.ToString());
        }

        _words = [.. words];
        _topicWords = Enumerable.Range(0, Topics).Select(_ => Enumerable.Range(0, WordsPerTopic).Select(_ => random.Next(_words.Length)).ToArray()).ToArray();
    }

    public static int TopicOf(int document) => (int)((uint)(document * 2_654_435_761) % Topics);

    /// <summary>Chunk text: mostly words of the document's topic, the rest from a Zipf-like background.</summary>
    public string Chunk(int document, int ordinal)
    {
        // Not HashCode.Combine: its seed changes per process, and the corpus must not.
        var random = new Random(unchecked((int)((uint)((document * ChunksPerDocument) + ordinal) * 2_654_435_761u)));
        var topic = _topicWords[TopicOf(document)];
        var text = new StringBuilder();
        for (var w = 0; w < WordsPerChunk; w++)
        {
            var word = random.NextDouble() < 0.6 ? _words[topic[random.Next(topic.Length)]] : _words[(int)Math.Min(_words.Length - 1, Math.Exp(random.NextDouble() * Math.Log(_words.Length)))];
            text.Append(word).Append(' ');
        }

        return text.ToString(0, text.Length - 1);
    }

    /// <summary>A query: four words of one topic.</summary>
    public string Query(int n)
    {
        var random = new Random(1_000_003 + n);
        var topic = _topicWords[random.Next(Topics)];
        return string.Join(' ', Enumerable.Range(0, 4).Select(_ => _words[topic[random.Next(topic.Length)]]));
    }

    public static string DocumentId(int document) => "bench-doc-" + document.ToString("D7", CultureInfo.InvariantCulture);
}
