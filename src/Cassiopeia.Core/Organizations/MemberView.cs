namespace Cassiopeia.Core.Organizations;

public sealed record MemberView(string UserId, string Email, string? Name, string Role, DateTime JoinedAt);

public sealed record AddMemberRequest(string? Email, string? Role);

public sealed record ChangeRoleRequest(string? Role);
