namespace Cassiopeia.Core.Accounts;

public sealed record UserView(string Id, string Email, string? Name, DateTime CreatedAt)
{
    public static UserView From(User user) => new(user.Id, user.Email, user.Name, user.CreatedUtc);
}

public sealed record OrganizationView(string Id, string Name, string Role);

/// <summary>The token response of signup, login and refresh.</summary>
public sealed record AuthResponse(UserView User, OrganizationView? Organization, string AccessToken, string RefreshToken, int ExpiresIn, string TokenType = "Bearer");
