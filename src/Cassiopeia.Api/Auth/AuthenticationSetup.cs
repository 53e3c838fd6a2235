using Cassiopeia.Core.Accounts;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Api.Auth;

public static class AuthenticationSetup
{
    public const string SubjectClaim = "sub";
    public const string ApiKeyClaim = "key_id";
    public const string OrganizationClaim = "org_id";
    public const string ScopeClaim = "scope";
    private const string SelectorScheme = "BearerOrApiKey";

    /// <summary>
    /// One <c>Bearer</c> scheme that forwards to the API-key handler for <c>csk_</c> tokens and to
    /// JWT validation otherwise. JWTs must be HS256, signed by a key of the ring (found by
    /// <c>kid</c>), from our issuer to our audience, and within their lifetime.
    /// </summary>
    public static IServiceCollection AddCassiopeiaAuthentication(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            return SigningKeyStore.Load(auth, data.Resolve("keys", "jwt-signing-keys.json"));
        });

        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, SelectorScheme, o => o.ForwardDefaultSelector = context =>
                BearerToken(context.Request) is { } token && Core.ApiKeys.ApiKeyAuthenticator.LooksLikeKey(token)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddJwtBearer();

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeyRing, TimeProvider>((jwt, auth, ring, time) =>
            {
                var settings = auth.Value;
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    IssuerSigningKeyResolver = (_, _, kid, _) => ring.Resolve(kid),
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidateLifetime = true,

                    // Lifetimes are judged by the application's clock, the one that stamped them.
                    LifetimeValidator = (notBefore, expires, _, parameters) =>
                    {
                        var now = time.GetUtcNow().UtcDateTime;
                        return expires is { } exp && now < exp.ToUniversalTime() + parameters.ClockSkew
                            && (notBefore is not { } nbf || nbf.ToUniversalTime() <= now + parameters.ClockSkew);
                    },
                    ValidateIssuerSigningKey = true,
                    ClockSkew = settings.ClockSkew,
                    NameClaimType = SubjectClaim,
                };
            });
        return services;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }
}
