using System.Text.RegularExpressions;
using Cassiopeia.Api;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>deploy/docker/Dockerfile and the repository's .dockerignore, read as Docker reads them (no engine needed).</summary>
public sealed partial class DockerfileTests
{
    private static readonly IReadOnlyList<Instruction> Instructions = Parse(DeploymentFiles.Read("deploy", "docker", "Dockerfile"));

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime_in_separate_stages()
    {
        var froms = Instructions.Where(i => i.Command == "FROM").ToList();

        Assert.True(froms.Count >= 2, "a multi-stage build needs at least two FROM instructions");
        Assert.Contains("mcr.microsoft.com/dotnet/sdk:", froms[0].Arguments, StringComparison.Ordinal);
        Assert.Contains("mcr.microsoft.com/dotnet/aspnet:", froms[^1].Arguments, StringComparison.Ordinal);
        Assert.Contains(BuildStage(), i => i.Command == "RUN" && PublishRelease().IsMatch(i.Arguments));
    }

    [Fact]
    public void The_runtime_stage_copies_only_the_published_output_and_runs_as_a_non_root_user()
    {
        var runtime = RuntimeStage();
        var copies = runtime.Where(i => i.Command is "COPY" or "ADD").ToList();

        Assert.NotEmpty(copies);
        Assert.All(copies, c => Assert.Matches(@"--from=build\b.*/app/publish/?\s", c.Arguments + " "));
        var user = Assert.Single(runtime, i => i.Command == "USER").Arguments;
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user);
        // The user is set before the entrypoint, so nothing after it runs as root.
        Assert.True(runtime.FindIndex(i => i.Command == "USER") < runtime.FindIndex(i => i.Command == "ENTRYPOINT"));
    }

    [Fact]
    public void The_entrypoint_runs_the_assembly_the_api_project_publishes()
    {
        var assembly = typeof(ProcessRoleOptions).Assembly.GetName().Name;
        var entrypoint = Assert.Single(RuntimeStage(), i => i.Command == "ENTRYPOINT").Arguments;
        var publish = BuildStage().Single(i => i.Command == "RUN" && PublishRelease().IsMatch(i.Arguments)).Arguments;
        var project = PublishedProject().Match(publish).Groups["project"].Value;

        Assert.Equal($"[\"dotnet\", \"{assembly}.dll\"]", entrypoint);
        Assert.True(File.Exists(DeploymentFiles.PathOf(project.Split('/'))), $"{project} is not in the repository");
        Assert.Contains($"<AssemblyName>{assembly}</AssemblyName>", DeploymentFiles.Read(project.Split('/')), StringComparison.Ordinal);
    }

    [Fact]
    public void The_health_check_asks_the_liveness_endpoint_on_the_port_the_service_listens_on()
    {
        var runtime = RuntimeStage();
        var healthcheck = Assert.Single(runtime, i => i.Command == "HEALTHCHECK").Arguments;
        var urls = Assert.Single(runtime, i => i.Command == "ENV" && i.Arguments.Contains("ASPNETCORE_URLS=", StringComparison.Ordinal)).Arguments;
        var port = Regex.Match(urls, @"ASPNETCORE_URLS=http://\+:(\d+)").Groups[1].Value;

        Assert.Contains("GET /health/live ", healthcheck, StringComparison.Ordinal);
        Assert.Contains($"/dev/tcp/127.0.0.1/{port} ", healthcheck, StringComparison.Ordinal);
        Assert.Contains(runtime, i => i.Command == "EXPOSE" && i.Arguments == port);
        Assert.Contains("\"/health/live\"", DeploymentFiles.Read("src", "Cassiopeia.Api", "Observability", "HealthEndpoints.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_file_the_build_copies_exists_and_is_not_excluded_from_the_context()
    {
        var ignored = DeploymentFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var sources = BuildStage().Where(i => i.Command == "COPY")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
            .ToList();

        Assert.NotEmpty(sources);
        Assert.All(sources, source =>
        {
            var path = DeploymentFiles.PathOf(source.TrimEnd('/').Split('/'));
            Assert.True(File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            Assert.DoesNotContain(ignored, pattern => pattern.TrimEnd('/') == source.TrimEnd('/') || pattern.TrimEnd('/') == source.Split('/')[0]);
        });
        foreach (var excluded in new[] { "**/bin/", "**/obj/", "data/", ".git/", "bench/", "BenchmarkDotNet.Artifacts/", "**/.env" })
        {
            Assert.Contains(excluded, ignored);
        }
    }

    private static List<Instruction> BuildStage() => [.. Instructions.TakeWhile((_, index) => index < LastFromIndex())];

    private static List<Instruction> RuntimeStage() => [.. Instructions.Skip(LastFromIndex())];

    private static int LastFromIndex() => Instructions.Select((i, index) => (i, index)).Last(x => x.i.Command == "FROM").index;

    /// <summary>Instructions with line continuations joined and comments dropped.</summary>
    private static List<Instruction> Parse(string dockerfile)
    {
        var joined = Continuation().Replace(dockerfile, " ");
        return [.. joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var command, var rest] ? new Instruction(command.ToUpperInvariant(), Spaces().Replace(rest.Trim(), " ")) : new Instruction(l.ToUpperInvariant(), ""))];
    }

    [GeneratedRegex(@"\\\r?\n\s*")]
    private static partial Regex Continuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\bdotnet publish\b.*\s-c Release\b")]
    private static partial Regex PublishRelease();

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)")]
    private static partial Regex PublishedProject();

    private sealed record Instruction(string Command, string Arguments);
}
