using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static Cassiopeia.UnitTests.Deployment.DeploymentFiles;

namespace Cassiopeia.UnitTests.Deployment;

/// <summary>
/// deploy/aws/cassiopeia.yaml, parsed with CloudFormation's short-form tags (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt</c>…) kept on the nodes, and checked for what a deployment would trip over: missing
/// resources, dangling references, secrets in the template, over-broad IAM.
/// </summary>
public sealed partial class CloudFormationTemplateTests
{
    private static readonly YamlNode Template = Assert.Single(LoadYaml("deploy", "aws", "cassiopeia.yaml"));

    private static readonly HashSet<string> Intrinsics =
    [
        "!Ref", "!Sub", "!GetAtt", "!Join", "!Select", "!Split", "!If", "!Equals", "!Not", "!And", "!Or",
        "!FindInMap", "!ImportValue", "!GetAZs", "!Base64", "!Cidr", "!Condition", "!Transform",
    ];

    private static Dictionary<string, YamlNode> Resources => Entries(Get(Template, "Resources")!);

    private static Dictionary<string, YamlNode> Parameters => Entries(Get(Template, "Parameters")!);

    [Fact]
    public void Uses_only_cloudformation_short_tags_and_every_reference_resolves()
    {
        var nodes = Descendants(Template).ToList();
        var tags = nodes.Where(n => !n.Tag.IsEmpty).Select(n => n.Tag.Value).Distinct().ToList();
        Assert.Contains("!Ref", tags);
        Assert.Contains("!Sub", tags);
        Assert.Contains("!GetAtt", tags);
        Assert.All(tags, t => Assert.Contains(t, Intrinsics));

        var known = Parameters.Keys.Concat(Resources.Keys).ToHashSet();
        foreach (var node in nodes.OfType<YamlScalarNode>().Where(n => !n.Tag.IsEmpty))
        {
            var value = node.Value ?? "";
            switch (node.Tag.Value)
            {
                case "!Ref":
                    Assert.True(known.Contains(value) || value.StartsWith("AWS::", StringComparison.Ordinal), $"!Ref {value} names nothing");
                    break;
                case "!GetAtt":
                    Assert.True(Resources.ContainsKey(value.Split('.')[0]), $"!GetAtt {value} names no resource");
                    break;
                case "!Sub":
                    foreach (Match variable in SubVariable().Matches(value))
                    {
                        var name = variable.Groups["name"].Value;
                        Assert.True(known.Contains(name.Split('.')[0]) || name.StartsWith("AWS::", StringComparison.Ordinal), $"!Sub ${{{name}}} names nothing");
                    }

                    break;
            }
        }

        Assert.All(Entries(Get(Template, "Outputs")!).Values, o => Assert.NotNull(Get(o, "Value")));
    }

    [Fact]
    public void Declares_every_part_of_the_aws_plan()
    {
        var types = Resources.Values.Select(r => ValueAt(r, "Type")).ToList();
        foreach (var type in new[]
        {
            "AWS::ECS::Cluster", "AWS::ECS::TaskDefinition", "AWS::ECS::Service", "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance",
            "AWS::S3::Bucket", "AWS::KMS::Key", "AWS::ElastiCache::ReplicationGroup", "AWS::SecretsManager::Secret", "AWS::Logs::LogGroup",
            "AWS::IAM::Role", "AWS::ApplicationAutoScaling::ScalingPolicy",
        })
        {
            Assert.Contains(type, types);
        }

        Assert.Equal(2, types.Count(t => t == "AWS::ECS::Service"));
        Assert.All(OfType("AWS::ECS::Service"), s => Assert.Equal("FARGATE", ValueAt(s, "Properties", "LaunchType")));
        Assert.Equal("aurora-postgresql", ValueAt(Assert.Single(OfType("AWS::RDS::DBCluster")), "Properties", "Engine"));
        Assert.Equal("/health/ready", ValueAt(Assert.Single(OfType("AWS::ElasticLoadBalancingV2::TargetGroup")), "Properties", "HealthCheckPath"));
        Assert.Equal("true", ValueAt(Assert.Single(OfType("AWS::ElastiCache::ReplicationGroup")), "Properties", "TransitEncryptionEnabled"));
        Assert.Equal("true", ValueAt(Assert.Single(OfType("AWS::KMS::Key")), "Properties", "EnableKeyRotation"));
        foreach (var parameter in new[] { "ImageUri", "VpcId", "PublicSubnetIds", "PrivateSubnetIds" })
        {
            Assert.True(Parameters.ContainsKey(parameter), $"parameter {parameter} is missing");
        }
    }

    [Fact]
    public void The_bucket_is_private_and_encrypted_with_the_stacks_kms_key()
    {
        var bucket = Assert.Single(OfType("AWS::S3::Bucket"));
        var rule = Assert.Single(Sequence(bucket, "Properties", "BucketEncryption", "ServerSideEncryptionConfiguration"));
        var key = Get(rule, "ServerSideEncryptionByDefault", "KMSMasterKeyID") as YamlScalarNode;

        Assert.Equal("aws:kms", ValueAt(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm"));
        Assert.Equal("!GetAtt", key?.Tag.Value);
        Assert.Equal("AWS::KMS::Key", ValueAt(Resources[key!.Value!.Split('.')[0]], "Type"));
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
        {
            Assert.Equal("true", ValueAt(bucket, "Properties", "PublicAccessBlockConfiguration", setting));
        }
    }

    [Fact]
    public void No_secret_is_written_in_the_template()
    {
        foreach (var mapping in Descendants(Template).OfType<YamlMappingNode>())
        {
            foreach (var (key, value) in mapping.Children)
            {
                var name = Text(key);
                if (LiteralSecretProperty().IsMatch(name) && value is YamlScalarNode scalar)
                {
                    Assert.True(!scalar.Tag.IsEmpty && (scalar.Value ?? "").Contains("{{resolve:secretsmanager:", StringComparison.Ordinal),
                        $"{name} holds a literal value; use a Secrets Manager dynamic reference");
                }
            }
        }

        foreach (var container in Containers())
        {
            Assert.All(Sequence(container, "Environment"), e => Assert.False(
                LooksSecret(ValueAt(e, "Name")!) || ValueAt(e, "Name")!.Contains("ConnectionString", StringComparison.Ordinal),
                $"{ValueAt(e, "Name")} is passed as plain environment; pass it in Secrets"));
        }
    }

    [Fact]
    public void Tasks_read_their_secrets_from_secrets_manager_and_may_read_nothing_else()
    {
        var executionPolicies = OfType("AWS::IAM::Role").SelectMany(r => Sequence(r, "Properties", "Policies"))
            .SelectMany(p => Sequence(p, "PolicyDocument", "Statement"))
            .Where(s => Values(Get(s, "Action")).Contains("secretsmanager:GetSecretValue"))
            .SelectMany(s => Values(Get(s, "Resource")))
            .ToHashSet();

        var referenced = Containers().SelectMany(c => Sequence(c, "Secrets")).Select(s => Get(s, "ValueFrom") as YamlScalarNode).ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, r =>
        {
            Assert.Equal("!Ref", r?.Tag.Value);
            Assert.Equal("AWS::SecretsManager::Secret", ValueAt(Resources[r!.Value!], "Type"));
            Assert.Contains(r.Value!, executionPolicies);
        });
        Assert.Equal(referenced.Select(r => r!.Value!).ToHashSet(), executionPolicies);
    }

    [Fact]
    public void Roles_are_least_privilege_and_containers_run_as_non_root_on_a_read_only_root()
    {
        var statements = OfType("AWS::IAM::Role").SelectMany(r => Sequence(r, "Properties", "Policies"))
            .SelectMany(p => Sequence(p, "PolicyDocument", "Statement")).ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, s =>
        {
            Assert.DoesNotContain(Values(Get(s, "Action")), a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal));
            Assert.DoesNotContain("*", Values(Get(s, "Resource")));
        });

        Assert.All(Containers(), c =>
        {
            Assert.NotEqual("0", ValueAt(c, "User"));
            Assert.False(string.IsNullOrEmpty(ValueAt(c, "User")));
            Assert.Equal("true", ValueAt(c, "ReadonlyRootFilesystem"));
            Assert.Equal("awslogs", ValueAt(c, "LogConfiguration", "LogDriver"));
            var logGroup = Get(c, "LogConfiguration", "Options", "awslogs-group") as YamlScalarNode;
            Assert.Equal("AWS::Logs::LogGroup", ValueAt(Resources[logGroup!.Value!], "Type"));
        });
        var roles = Containers().Select(c => Sequence(c, "Environment").Where(e => ValueAt(e, "Name") == "Cassiopeia__Role").Select(e => ValueAt(e, "Value")).Single()).Order();
        Assert.Equal(["api", "worker"], roles);
    }

    internal static IEnumerable<(string Name, string? Value)> AllEnvironment() =>
        Containers().SelectMany(c => Sequence(c, "Environment").Select(e => (ValueAt(e, "Name")!, Get(e, "Value") is YamlScalarNode { Tag.IsEmpty: true } v ? v.Value : null))
            .Concat(Sequence(c, "Secrets").Select(s => (ValueAt(s, "Name")!, (string?)null))));

    private static IEnumerable<YamlNode> OfType(string type) => Resources.Values.Where(r => ValueAt(r, "Type") == type);

    private static List<YamlNode> Containers() =>
        [.. OfType("AWS::ECS::TaskDefinition").SelectMany(t => Sequence(t, "Properties", "ContainerDefinitions"))];

    /// <summary>An IAM field that takes a string or a list, as written (tagged references by their text).</summary>
    private static List<string> Values(YamlNode? node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(Text)],
        YamlScalarNode scalar => [scalar.Value ?? ""],
        null => [],
        _ => [node.ToString()],
    };

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9_:.]+)\}")]
    private static partial Regex SubVariable();

    /// <summary>Properties that hold a credential itself (not a length, a template, an ARN or the name of one).</summary>
    [GeneratedRegex(@"(Password|Secret|Token|ApiKey|SigningKey|SecretString)$", RegexOptions.IgnoreCase)]
    private static partial Regex LiteralSecretProperty();
}
