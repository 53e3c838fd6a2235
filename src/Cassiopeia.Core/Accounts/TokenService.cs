using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Core.Accounts;

public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>Issues access tokens (JWT, HS256, with <c>kid</c>) and opaque refresh tokens stored as hashes.</summary>
public sealed class TokenService(AppDbContext db, SigningKeyRing keys, IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>Adds a new refresh token to the unit of work (the caller saves) and returns both tokens.</summary>
    public TokenPair Issue(string userId, string? familyId = null)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var refresh = "rt_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Ids.New("rtk"),
            UserId = userId,
            FamilyId = familyId ?? Ids.New("fam"),
            TokenHash = Hash(refresh),
            CreatedUtc = now,
            ExpiresUtc = now + options.Value.RefreshTokenLifetime,
        });
        return new TokenPair(CreateAccessToken(userId, now), refresh, (int)options.Value.AccessTokenLifetime.TotalSeconds);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private string CreateAccessToken(string userId, DateTime now)
    {
        var settings = options.Value;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(JwtRegisteredClaimNames.Jti, Ids.New("jti"))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.AccessTokenLifetime,
            SigningCredentials = new SigningCredentials(keys.Current, SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Base64Url(byte[] bytes) => Base64UrlEncoder.Encode(bytes);
}
