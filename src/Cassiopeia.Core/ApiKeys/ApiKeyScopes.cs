namespace Cassiopeia.Core.ApiKeys;

/// <summary>What an API key may be used for. A user's own access token is not limited by scopes.</summary>
public static class ApiKeyScopes
{
    public const string DocumentsRead = "documents:read";
    public const string DocumentsWrite = "documents:write";
    public const string Ai = "ai";
    public const string Billing = "billing";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [DocumentsRead, DocumentsWrite, Ai, Billing, Admin];

    /// <summary>Given to a key created without scopes: the everyday work of a member.</summary>
    public static readonly IReadOnlyList<string> Default = [DocumentsRead, DocumentsWrite, Ai];
}
