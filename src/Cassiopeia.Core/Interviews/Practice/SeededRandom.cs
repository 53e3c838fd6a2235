namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// SplitMix64: a tiny generator whose sequence for a seed is fixed by this code, not by the runtime,
/// so a question set can be reproduced from its seed on any version. Not for anything secret.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>).</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Below(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>FNV-1a over the texts: a seed that depends only on the inputs.</summary>
    public static ulong Hash(IEnumerable<string> texts)
    {
        var hash = 14695981039346656037UL;
        foreach (var text in texts)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ 0x1F) * 1099511628211UL;
        }

        return hash;
    }
}
