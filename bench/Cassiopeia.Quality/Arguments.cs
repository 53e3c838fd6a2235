namespace Cassiopeia.Quality;

/// <summary><c>--name value</c> pairs and bare <c>--flag</c>s.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            }

            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[args[i][2..]] = hasValue ? args[++i] : null;
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? GetOrNull(string name) => _values.GetValueOrDefault(name);

    public string Get(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;
}
