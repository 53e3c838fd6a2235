using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>The deployment artifacts under <c>deploy/</c>, read from the repository, and helpers to walk parsed YAML.</summary>
internal static partial class DeploymentFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts)
    {
        var path = PathOf(parts);
        Assert.True(File.Exists(path), $"{path} is missing.");
        return File.ReadAllText(path);
    }

    /// <summary>Every document of a YAML file (a Kubernetes file may hold several), parsed strictly.</summary>
    public static IReadOnlyList<YamlNode> LoadYaml(params string[] parts)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(parts));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => d.RootNode).Where(n => n is not YamlScalarNode { Value: null or "" })];
    }

    /// <summary>The entries of a mapping with YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied; explicit keys win.</summary>
    public static Dictionary<string, YamlNode> Entries(YamlNode node)
    {
        var mapping = Assert.IsType<YamlMappingNode>(node);
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (Text(key) == "<<")
            {
                var merged = value is YamlSequenceNode many ? many.Children : [value];
                foreach (var source in merged)
                {
                    foreach (var (mergedKey, mergedValue) in Entries(source))
                    {
                        result.TryAdd(mergedKey, mergedValue);
                    }
                }
            }
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (Text(key) != "<<")
            {
                result[Text(key)] = value;
            }
        }

        return result;
    }

    public static YamlNode? Get(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode)
            {
                return null;
            }

            node = Entries(node).GetValueOrDefault(key);
        }

        return node;
    }

    public static string? ValueAt(YamlNode? node, params string[] path) => Get(node, path) is YamlScalarNode scalar ? scalar.Value : null;

    public static IReadOnlyList<YamlNode> Sequence(YamlNode? node, params string[] path) =>
        Get(node, path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static string Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value ?? "" : node.ToString();

    /// <summary>Every node of a tree, depth first.</summary>
    public static IEnumerable<YamlNode> Descendants(YamlNode node)
    {
        yield return node;
        IEnumerable<YamlNode> children = node switch
        {
            YamlMappingNode mapping => mapping.Children.SelectMany(c => new[] { c.Key, c.Value }),
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    /// <summary>Names that, by their wording, hold credentials: passwords, secrets, tokens, keys to sign or access with.</summary>
    public static bool LooksSecret(string name) => SecretName().IsMatch(name);

    [GeneratedRegex(@"(password|secret|token|apikey|api_key|signingkey|signing_key|accesskey|access_key|masterkey|private)", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cassiopeia.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Cassiopeia.slnx above {AppContext.BaseDirectory}.");
    }
}
