namespace Cassiopeia.Proof;

/// <summary>The categories the report counts, in report order.</summary>
public static class Categories
{
    public const string MalformedJson = "malformed-json";
    public const string DeepNesting = "deep-nesting";
    public const string HugeFields = "huge-fields";
    public const string InvalidUtf8 = "invalid-utf8";
    public const string Injection = "injection";
    public const string PathTraversal = "path-traversal";
    public const string ZipBomb = "zip-bomb";
    public const string XmlEntityExpansion = "xml-entity-expansion";
    public const string LyingContent = "lying-content";
    public const string ForgedTokens = "forged-tokens";
    public const string CrossTenant = "cross-tenant";

    public static IReadOnlyList<string> All { get; } =
        [MalformedJson, DeepNesting, HugeFields, InvalidUtf8, Injection, PathTraversal, ZipBomb, XmlEntityExpansion, LyingContent, ForgedTokens, CrossTenant];
}

/// <summary>What a hostile request may answer besides "no 5xx, no crash".</summary>
public enum Expectation
{
    /// <summary>Any non-5xx answer, success included: the input may be odd but legal.</summary>
    NoServerError,

    /// <summary>The request must be refused (4xx): a forged credential or a tampered link.</summary>
    Refused,

    /// <summary>Tenant A reaching for tenant B's resource: refused, and nothing of B in the body.</summary>
    CrossTenant,

    /// <summary>Tenant A naming tenant B's resource in a path: exactly 404, as if it did not exist, and nothing of B in the body.</summary>
    NotFound,

    /// <summary>Legal to succeed (a search filter over foreign ids), but nothing of B may appear in the body.</summary>
    NoForeignData,
}

/// <summary>
/// One hostile request. <see cref="Build"/> makes a fresh message per send (messages are single use);
/// <see cref="Raw"/>, when set, is sent as bytes over a plain socket instead, for what HttpClient refuses to
/// put on the wire (raw invalid UTF-8 in a request line or header).
/// </summary>
public sealed record HostileCase(string Category, string Name, Expectation Expectation, Func<HttpRequestMessage>? Build, byte[]? Raw = null)
{
    /// <summary>The request changes or removes what it names (DELETE, cancel, logout): the runner sends these last.</summary>
    public bool Destructive { get; init; }

    public static HostileCase Http(string category, string name, Func<HttpRequestMessage> build, Expectation expectation = Expectation.NoServerError) =>
        new(category, name, expectation, build);
}
