using System.Text.RegularExpressions;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>
/// The <c>Section__Key</c> environment variables the artifacts set are real configuration keys of the
/// application, and their literal values bind: a renamed option or a misspelt key fails here, not at
/// three in the morning on a cluster.
/// </summary>
public sealed partial class ConfigurationKeyTests
{
    [Fact]
    public void The_resolver_knows_the_sections_the_artifacts_rely_on_and_rejects_unknown_keys()
    {
        foreach (var key in new[]
        {
            "Database__Provider", "Database__ConnectionString", "Database__MigrateOnStart", "Storage__Provider", "Storage__S3__Bucket",
            "Storage__S3__ServiceUrl", "Storage__S3__ServerSideEncryption", "Cassiopeia__Role", "Cassiopeia__DataDirectory",
            "Auth__SigningKey", "Http__ForwardedProxies__0", "Chat__ApiKey",
        })
        {
            Assert.True(ConfigurationKeys.Resolves(key), key);
        }

        foreach (var key in new[] { "Storage__Provder", "Database__Connection", "Cassiopeia__Roles", "Storage__S3", "Storage__S3__Bucket__Name", "Nothing__Here", "Http__ForwardedProxies__first" })
        {
            Assert.False(ConfigurationKeys.Resolves(key), key);
        }
    }

    [Fact]
    public void Every_environment_variable_in_the_artifacts_is_a_configuration_key()
    {
        var names = Everything().Select(e => e.Name).Where(n => n.Contains("__", StringComparison.Ordinal)).Distinct().ToList();

        Assert.True(names.Count > 15, $"only {names.Count} settings found in the artifacts");
        Assert.All(names, name => Assert.True(ConfigurationKeys.Resolves(name) || ConfigurationKeys.IsPending(name),
            $"{name} is not a configuration key of the application"));
    }

    [Fact]
    public void Literal_values_bind_to_the_options_types()
    {
        foreach (var group in Everything().Where(e => e.Name.Contains("__", StringComparison.Ordinal) && e.Value is { } v && !v.Contains("${", StringComparison.Ordinal) && !ConfigurationKeys.IsPending(e.Name))
            .GroupBy(e => e.Source))
        {
            var values = group.GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Last().Value!);
            var exception = Record.Exception(() => ConfigurationKeys.Bind(values));
            Assert.True(exception is null, $"{group.Key}: {exception?.Message}");
        }

        Assert.Throws<InvalidOperationException>(() => ConfigurationKeys.Bind(new Dictionary<string, string> { ["Database__Provider"] = "Oracle" }));
    }

    /// <summary>(where, name, literal value or null) of every environment variable every artifact sets.</summary>
    private static IEnumerable<(string Source, string Name, string? Value)> Everything()
    {
        foreach (var (service, name, value) in ComposeTests.AllEnvironment())
        {
            yield return ($"compose {service}", name, value);
        }

        foreach (var (name, value) in KubernetesManifestTests.AllEnvironment())
        {
            yield return ("k8s", name, value);
        }

        foreach (var (name, value) in CloudFormationTemplateTests.AllEnvironment())
        {
            yield return ("cloudformation", name, value);
        }

        // ENV instructions only (continuation lines included), not comments.
        var dockerfile = string.Join('\n', DeploymentFiles.Read("deploy", "docker", "Dockerfile").Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        foreach (Match match in DockerEnv().Matches(dockerfile))
        {
            yield return ("Dockerfile", match.Groups["name"].Value, match.Groups["value"].Value);
        }
    }

    [GeneratedRegex(@"(?<name>[A-Za-z]+__[A-Za-z0-9_]+)=(?<value>\S+)")]
    private static partial Regex DockerEnv();
}
