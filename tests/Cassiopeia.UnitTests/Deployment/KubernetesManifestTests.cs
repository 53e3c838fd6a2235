using YamlDotNet.RepresentationModel;
using static Cassiopeia.UnitTests.Deployment.DeploymentFiles;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>deploy/k8s, parsed and cross-checked (names, selectors, ports, probes) the way a cluster would resolve them.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly IReadOnlyList<string> Files = [.. Directory.GetFiles(PathOf("deploy", "k8s"), "*.yaml").Select(Path.GetFileName).Order()!];

    private static readonly IReadOnlyList<YamlNode> Manifests =
        [.. Files.Where(f => f != "kustomization.yaml").SelectMany(f => LoadYaml("deploy", "k8s", f))];

    [Fact]
    public void Every_manifest_parses_names_its_kind_and_is_listed_in_the_kustomization()
    {
        var listed = Sequence(Assert.Single(LoadYaml("deploy", "k8s", "kustomization.yaml")), "resources").Select(Text).ToList();

        Assert.Equal(Files.Where(f => f != "kustomization.yaml").Order(), listed.Order());
        Assert.All(Manifests, m =>
        {
            Assert.False(string.IsNullOrEmpty(ValueAt(m, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(ValueAt(m, "kind")));
            Assert.False(string.IsNullOrEmpty(ValueAt(m, "metadata", "name")));
        });
    }

    [Fact]
    public void There_is_an_api_deployment_and_a_worker_deployment()
    {
        var roles = Deployments().Select(d => EnvValue(Containers(d).Single(), "Cassiopeia__Role")).Order().ToList();

        Assert.Equal(["api", "worker"], roles);
    }

    [Fact]
    public void Every_container_is_probed_on_the_real_health_endpoints_and_has_resources()
    {
        var healthSource = Read("src", "Cassiopeia.Api", "Observability", "HealthEndpoints.cs");
        Assert.Contains("\"/health/live\"", healthSource, StringComparison.Ordinal);
        Assert.Contains("\"/health/ready\"", healthSource, StringComparison.Ordinal);

        Assert.All(Deployments(), deployment => Assert.All(Containers(deployment), container =>
        {
            var ports = Sequence(container, "ports").Select(p => ValueAt(p, "name")).ToHashSet();
            Assert.Equal("/health/live", ValueAt(container, "livenessProbe", "httpGet", "path"));
            Assert.Equal("/health/ready", ValueAt(container, "readinessProbe", "httpGet", "path"));
            Assert.Contains(ValueAt(container, "livenessProbe", "httpGet", "port"), ports);
            Assert.Contains(ValueAt(container, "readinessProbe", "httpGet", "port"), ports);
            Assert.False(string.IsNullOrEmpty(ValueAt(container, "resources", "requests", "cpu")));
            Assert.False(string.IsNullOrEmpty(ValueAt(container, "resources", "requests", "memory")));
            Assert.False(string.IsNullOrEmpty(ValueAt(container, "resources", "limits", "memory")));
        }));
    }

    [Fact]
    public void Pods_run_as_non_root_on_a_read_only_root_with_writable_temp_and_data_folders()
    {
        var dataDirectory = ValueAt(ConfigMap(), "data", "Cassiopeia__DataDirectory");
        Assert.False(string.IsNullOrEmpty(dataDirectory));

        Assert.All(PodSpecs(), pod =>
        {
            Assert.Equal("true", ValueAt(pod, "securityContext", "runAsNonRoot"));
            Assert.True(int.Parse(ValueAt(pod, "securityContext", "runAsUser")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            var emptyDirs = Sequence(pod, "volumes").Where(v => Get(v, "emptyDir") is not null).Select(v => ValueAt(v, "name")).ToHashSet();
            Assert.All(Sequence(pod, "containers"), container =>
            {
                Assert.Equal("true", ValueAt(container, "securityContext", "readOnlyRootFilesystem"));
                Assert.Equal("false", ValueAt(container, "securityContext", "allowPrivilegeEscalation"));
                var mounts = Sequence(container, "volumeMounts").ToDictionary(m => ValueAt(m, "mountPath")!, m => ValueAt(m, "name"));
                Assert.Contains(mounts["/tmp"], emptyDirs);
                Assert.Contains(mounts[dataDirectory!], emptyDirs);
            });
        });
    }

    [Fact]
    public void Autoscalers_and_disruption_budgets_target_each_deployment_without_blocking_node_drains()
    {
        foreach (var deployment in Deployments())
        {
            var name = ValueAt(deployment, "metadata", "name");
            var labels = Labels(Get(deployment, "spec", "template", "metadata", "labels"));
            var hpa = Assert.Single(OfKind("HorizontalPodAutoscaler"), h => ValueAt(h, "spec", "scaleTargetRef", "name") == name);
            Assert.Equal("Deployment", ValueAt(hpa, "spec", "scaleTargetRef", "kind"));
            var min = Number(ValueAt(hpa, "spec", "minReplicas"));
            Assert.True(Number(ValueAt(hpa, "spec", "maxReplicas")) > min);
            Assert.Contains(Sequence(hpa, "spec", "metrics"), m => ValueAt(m, "resource", "name") == "cpu");

            var pdb = Assert.Single(OfKind("PodDisruptionBudget"), p => Selects(Get(p, "spec", "selector", "matchLabels"), labels));
            if (ValueAt(pdb, "spec", "minAvailable") is { } minAvailable)
            {
                // With minAvailable equal to the replica count, no pod could ever be evicted.
                Assert.True(Number(minAvailable) < min, $"{name}: minAvailable {minAvailable} blocks drains at {min} replicas");
            }
            else
            {
                Assert.True(Number(ValueAt(pdb, "spec", "maxUnavailable")) >= 1);
            }
        }
    }

    [Fact]
    public void The_service_and_ingress_reach_the_api_pods_by_label_and_port_name()
    {
        var api = Deployments().Single(d => EnvValue(Containers(d).Single(), "Cassiopeia__Role") == "api");
        var portNames = Containers(api).SelectMany(c => Sequence(c, "ports")).Select(p => ValueAt(p, "name")).ToHashSet();
        var service = Assert.Single(OfKind("Service"));
        Assert.True(Selects(Get(service, "spec", "selector"), Labels(Get(api, "spec", "template", "metadata", "labels"))));
        Assert.All(Sequence(service, "spec", "ports"), p => Assert.Contains(ValueAt(p, "targetPort"), portNames));

        var backends = Sequence(Assert.Single(OfKind("Ingress")), "spec", "rules").SelectMany(r => Sequence(r, "http", "paths")).Select(p => Get(p, "backend", "service")).ToList();
        Assert.NotEmpty(backends);
        Assert.All(backends, b =>
        {
            Assert.Equal(ValueAt(service, "metadata", "name"), ValueAt(b, "name"));
            Assert.Contains(ValueAt(b, "port", "name"), Sequence(service, "spec", "ports").Select(p => ValueAt(p, "name")));
        });
    }

    [Fact]
    public void Settings_come_from_the_config_map_and_secrets_only_by_reference()
    {
        Assert.Empty(OfKind("Secret"));
        var configMap = ConfigMap();
        Assert.DoesNotContain(Entries(Get(configMap, "data")!).Keys, DeploymentFiles.LooksSecret);

        Assert.All(PodSpecs(), pod => Assert.All(Sequence(pod, "containers"), container =>
        {
            Assert.Contains(Sequence(container, "envFrom"), e => ValueAt(e, "configMapRef", "name") == ValueAt(configMap, "metadata", "name"));
            foreach (var variable in Sequence(container, "env"))
            {
                var name = ValueAt(variable, "name")!;
                if (DeploymentFiles.LooksSecret(name) || name.Contains("ConnectionString", StringComparison.Ordinal))
                {
                    Assert.Null(Get(variable, "value"));
                    Assert.Equal("cassiopeia-secrets", ValueAt(variable, "valueFrom", "secretKeyRef", "name"));
                }
            }
        }));
    }

    internal static IEnumerable<(string Name, string? Value)> AllEnvironment() =>
        Entries(Get(ConfigMap(), "data")!).Select(p => (p.Key, (string?)Text(p.Value)))
            .Concat(PodSpecs().SelectMany(p => Sequence(p, "containers")).SelectMany(c => Sequence(c, "env"))
                .Select(v => (ValueAt(v, "name")!, ValueAt(v, "value"))));

    private static IEnumerable<YamlNode> OfKind(string kind) => Manifests.Where(m => ValueAt(m, "kind") == kind);

    private static List<YamlNode> Deployments()
    {
        var deployments = OfKind("Deployment").ToList();
        Assert.NotEmpty(deployments);
        return deployments;
    }

    private static IEnumerable<YamlNode> PodSpecs() =>
        OfKind("Deployment").Concat(OfKind("Job")).Select(w => Get(w, "spec", "template", "spec")!);

    private static IReadOnlyList<YamlNode> Containers(YamlNode deployment) => Sequence(deployment, "spec", "template", "spec", "containers");

    private static YamlNode ConfigMap() => Assert.Single(OfKind("ConfigMap"));

    private static string? EnvValue(YamlNode container, string name) =>
        Sequence(container, "env").Where(v => ValueAt(v, "name") == name).Select(v => ValueAt(v, "value")).SingleOrDefault();

    private static Dictionary<string, string> Labels(YamlNode? node) => node is null ? [] : Entries(node).ToDictionary(p => p.Key, p => Text(p.Value));

    private static bool Selects(YamlNode? selector, Dictionary<string, string> labels) =>
        selector is not null && Entries(selector).All(p => labels.GetValueOrDefault(p.Key) == Text(p.Value));

    private static int Number(string? value) => int.Parse(value ?? "", System.Globalization.CultureInfo.InvariantCulture);
}
