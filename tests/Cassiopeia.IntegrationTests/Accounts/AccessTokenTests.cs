using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cassiopeia.Core.Accounts;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.IntegrationTests.Accounts;

/// <summary>Forged and stale access tokens, built by hand so every field can be wrong on purpose.</summary>
public abstract class AccessTokenTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    private SymmetricSecurityKey RealKey => Factory.Services.GetRequiredService<SigningKeyRing>().Current;

    [Fact]
    public async Task A_correctly_signed_hand_made_token_is_accepted()
    {
        // Proves the forgeries below fail for the one field they break, not for the way they are built.
        var session = await SignUpAsync();
        var response = await MeWith(Token(session.UserId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unsigned_alg_none_token_is_refused()
    {
        var session = await SignUpAsync();
        var header = Encode(new { alg = "none", typ = "JWT" });
        var payload = Encode(Claims(session.UserId));
        await AssertProblem(await MeWith($"{header}.{payload}."), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_signed_with_another_key_is_refused()
    {
        var session = await SignUpAsync();
        var other = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = RealKey.KeyId };
        await AssertProblem(await MeWith(Token(session.UserId, key: other)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_with_an_unknown_key_id_is_refused()
    {
        var session = await SignUpAsync();
        await AssertProblem(await MeWith(Token(session.UserId, kid: "unknown-kid")), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Expired_token_is_refused()
    {
        var session = await SignUpAsync();
        var now = DateTimeOffset.UtcNow;
        await AssertProblem(await MeWith(Token(session.UserId, issuedAt: now.AddHours(-2), expires: now.AddMinutes(-5))), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Not_yet_valid_token_is_refused()
    {
        var session = await SignUpAsync();
        var now = DateTimeOffset.UtcNow;
        await AssertProblem(await MeWith(Token(session.UserId, issuedAt: now.AddMinutes(10), expires: now.AddMinutes(25))), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("someone-else", "cassiopeia-api")]
    [InlineData("cassiopeia", "another-api")]
    public async Task Token_for_another_issuer_or_audience_is_refused(string issuer, string audience)
    {
        var session = await SignUpAsync();
        await AssertProblem(await MeWith(Token(session.UserId, issuer: issuer, audience: audience)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Token_with_a_tampered_payload_is_refused()
    {
        var victim = await SignUpAsync();
        var attacker = await SignUpAsync();
        var parts = attacker.AccessToken.Split('.');
        var forged = $"{parts[0]}.{Encode(Claims(victim.UserId))}.{parts[2]}";
        await AssertProblem(await MeWith(forged), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9")]
    public async Task Malformed_tokens_are_refused(string token) =>
        await AssertProblem(await MeWith(token), HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Missing_token_is_refused_with_a_challenge()
    {
        var response = await Client.GetAsync("/v1/me");
        await AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    private async Task<HttpResponseMessage> MeWith(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Client.SendAsync(request);
    }

    private string Token(string userId, SymmetricSecurityKey? key = null, string? kid = null, DateTimeOffset? issuedAt = null, DateTimeOffset? expires = null, string issuer = "cassiopeia", string audience = "cassiopeia-api")
    {
        key ??= RealKey;
        var header = Encode(new { alg = "HS256", typ = "JWT", kid = kid ?? key.KeyId });
        var payload = Encode(Claims(userId, issuedAt, expires, issuer, audience));
        var signature = Base64UrlEncoder.Encode(HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static Dictionary<string, object> Claims(string userId, DateTimeOffset? issuedAt = null, DateTimeOffset? expires = null, string issuer = "cassiopeia", string audience = "cassiopeia-api")
    {
        var iat = issuedAt ?? DateTimeOffset.UtcNow.AddSeconds(-5);
        return new()
        {
            ["sub"] = userId,
            ["iss"] = issuer,
            ["aud"] = audience,
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = iat.ToUnixTimeSeconds(),
            ["exp"] = (expires ?? iat.AddMinutes(15)).ToUnixTimeSeconds(),
        };
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
}

public sealed class SqliteAccessTokenTests(SqliteFixture fixture) : AccessTokenTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresAccessTokenTests(PostgresFixture fixture) : AccessTokenTests(fixture), IClassFixture<PostgresFixture>;
