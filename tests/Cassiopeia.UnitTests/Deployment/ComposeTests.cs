using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>deploy/compose/compose.yaml and its .env.example, parsed (this machine has no Docker engine to run them).</summary>
public sealed partial class ComposeTests
{
    private static readonly YamlNode Compose = Assert.Single(DeploymentFiles.LoadYaml("deploy", "compose", "compose.yaml"));

    private static Dictionary<string, YamlNode> Services => DeploymentFiles.Entries(DeploymentFiles.Get(Compose, "services")!);

    [Fact]
    public void Runs_two_api_processes_a_worker_postgres_with_pgvector_redis_and_minio()
    {
        foreach (var service in new[] { "api", "api2", "worker", "postgres", "redis", "minio", "minio-init", "migrate" })
        {
            Assert.True(Services.ContainsKey(service), $"service {service} is missing");
        }

        Assert.StartsWith("pgvector/pgvector:pg16", DeploymentFiles.ValueAt(Services["postgres"], "image"), StringComparison.Ordinal);
        Assert.Equal("api", Environment(Services["api"])["Cassiopeia__Role"]);
        Assert.Equal("api", Environment(Services["api2"])["Cassiopeia__Role"]);
        Assert.Equal("worker", Environment(Services["worker"])["Cassiopeia__Role"]);
        Assert.Equal("Postgres", Environment(Services["worker"])["Database__Provider"]);
        Assert.Equal("S3", Environment(Services["api"])["Storage__Provider"]);
    }

    [Fact]
    public void Migrations_run_once_before_the_application_and_the_bucket_exists_before_it_starts()
    {
        Assert.Equal(["migrate"], DeploymentFiles.Sequence(Services["migrate"], "command").Select(DeploymentFiles.Text));
        foreach (var service in new[] { "api", "api2", "worker" })
        {
            var environment = Environment(Services[service]);
            Assert.Equal("false", environment["Database__MigrateOnStart"]);
            Assert.Equal("service_completed_successfully", DeploymentFiles.ValueAt(Services[service], "depends_on", "migrate", "condition"));
            Assert.Equal("service_completed_successfully", DeploymentFiles.ValueAt(Services[service], "depends_on", "minio-init", "condition"));
        }

        var bucketJob = string.Join(' ', DeploymentFiles.Sequence(Services["minio-init"], "command").Select(DeploymentFiles.Text));
        Assert.Contains("mc mb --ignore-existing", bucketJob, StringComparison.Ordinal);
        Assert.Contains("CREATE EXTENSION IF NOT EXISTS vector;", DeploymentFiles.Read("deploy", "compose", "initdb", "01-pgvector.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dependency_build_context_and_mounted_folder_exists()
    {
        foreach (var (name, service) in Services)
        {
            if (DeploymentFiles.Get(service, "depends_on") is YamlMappingNode dependencies)
            {
                Assert.All(DeploymentFiles.Entries(dependencies).Keys, d => Assert.True(Services.ContainsKey(d), $"{name} depends on unknown {d}"));
            }
        }

        var context = DeploymentFiles.ValueAt(Services["migrate"], "build", "context")!;
        var dockerfile = DeploymentFiles.ValueAt(Services["migrate"], "build", "dockerfile")!;
        Assert.True(File.Exists(Path.Combine(DeploymentFiles.PathOf("deploy", "compose"), context, dockerfile)), $"{context}/{dockerfile}");
        var initdb = DeploymentFiles.Sequence(Services["postgres"], "volumes").Select(DeploymentFiles.Text).Single(v => v.StartsWith("./", StringComparison.Ordinal));
        Assert.True(Directory.Exists(Path.Combine(DeploymentFiles.PathOf("deploy", "compose"), initdb.Split(':')[0])), initdb);
    }

    [Fact]
    public void Secrets_come_from_the_uncommitted_env_file_and_the_example_holds_placeholders_only()
    {
        var example = EnvExample();
        var referenced = Interpolation().Matches(DeploymentFiles.Read("deploy", "compose", "compose.yaml"))
            .Select(m => (Name: m.Groups["name"].Value, Required: m.Groups["op"].Value == ":?"))
            .ToList();

        Assert.NotEmpty(referenced);
        Assert.All(referenced.Where(r => r.Required), r => Assert.True(example.ContainsKey(r.Name), $"${{{r.Name}}} is required but not in .env.example"));
        Assert.All(example.Where(p => DeploymentFiles.LooksSecret(p.Key)), p =>
            Assert.True(p.Value.Length == 0 || p.Value.StartsWith("change-me", StringComparison.Ordinal), $"{p.Key} in .env.example must be a placeholder"));
        Assert.Contains(".env", DeploymentFiles.Read(".gitignore").Split('\n').Select(l => l.Trim()));

        foreach (var (name, service) in Services)
        {
            foreach (var (key, value) in Environment(service))
            {
                if (DeploymentFiles.LooksSecret(key) || value.Contains("Password=", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.True(value.Length == 0 || value.Contains("${", StringComparison.Ordinal), $"{name}: {key} holds a literal secret");
                }
            }
        }
    }

    internal static Dictionary<string, string> Environment(YamlNode service) => DeploymentFiles.Get(service, "environment") switch
    {
        YamlMappingNode mapping => DeploymentFiles.Entries(mapping).ToDictionary(p => p.Key, p => DeploymentFiles.Text(p.Value)),
        YamlSequenceNode list => list.Children.Select(DeploymentFiles.Text).Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
        _ => [],
    };

    internal static IEnumerable<(string Service, string Name, string Value)> AllEnvironment() =>
        Services.SelectMany(s => Environment(s.Value).Select(e => (s.Key, e.Key, e.Value)));

    private static Dictionary<string, string> EnvExample() => DeploymentFiles.Read("deploy", "compose", ".env.example").Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split('=', 2))
        .ToDictionary(p => p[0], p => p[1]);

    [GeneratedRegex(@"\$\{(?<name>[A-Z0-9_]+)(?<op>:\?|:-|-|\?)?[^}]*\}")]
    private static partial Regex Interpolation();
}
