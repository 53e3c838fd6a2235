using System.Security.Claims;
using System.Text.Encodings.Web;
using Cassiopeia.Core.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Auth;

/// <summary>Authenticates <c>Authorization: Bearer csk_…</c> API keys.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = AuthenticationSetup.BearerToken(Request);
        if (presented is null || !ApiKeyAuthenticator.LooksLikeKey(presented))
        {
            return AuthenticateResult.NoResult();
        }

        var authenticator = Context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var key = await authenticator.AuthenticateAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is invalid, expired or revoked.");
        }

        var claims = new List<Claim>
        {
            new(AuthenticationSetup.SubjectClaim, key.UserId),
            new(AuthenticationSetup.ApiKeyClaim, key.KeyId),
            new(AuthenticationSetup.OrganizationClaim, key.OrganizationId),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(AuthenticationSetup.ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
