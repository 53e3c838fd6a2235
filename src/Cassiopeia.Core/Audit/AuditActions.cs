namespace Cassiopeia.Core.Audit;

/// <summary>The stable names of audited actions.</summary>
public static class AuditActions
{
    public const string SignedUp = "user.signed_up";
    public const string LoginSucceeded = "login.succeeded";
    public const string LoginFailed = "login.failed";
    public const string LockedOut = "login.locked_out";
    public const string RefreshReused = "refresh.reused";
    public const string LoggedOut = "user.logged_out";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string MemberAdded = "member.added";
    public const string RoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string DocumentDeleted = "document.deleted";
    public const string DocumentRetried = "document.retried";
    public const string PromptVersionAdded = "prompt_version.added";
    public const string SubscriptionChanged = "billing.subscription_changed";
}
