using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Core.ApiKeys;

public sealed record CreateApiKeyRequest(string? Name, IReadOnlyList<string>? Scopes, DateTime? ExpiresAt);

/// <summary>
/// Creates a key <c>csk_&lt;prefix&gt;_&lt;secret&gt;</c> for the caller in the current organization.
/// Billing and admin scopes need the role that could do those things itself.
/// </summary>
public sealed class CreateApiKey(AppDbContext db, Caller caller, AuditLog audit, TimeProvider time)
{
    public const string KeyPrefix = "csk_";

    public async Task<Result<CreatedApiKey>> HandleAsync(CreateApiKeyRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var scopes = (request.Scopes is { Count: > 0 } ? request.Scopes : ApiKeyScopes.Default).Distinct(StringComparer.Ordinal).ToList();
        var validation = new Validation()
            .Text(request.Name, "name", 100, required: true)
            .Require(scopes.Count <= ApiKeyScopes.All.Count && scopes.All(s => ApiKeyScopes.All.Contains(s)), "scopes", $"Allowed scopes: {string.Join(", ", ApiKeyScopes.All)}.")
            .Require(request.ExpiresAt is null || request.ExpiresAt.Value.ToUniversalTime() > now, "expiresAt", "Must be in the future.")
            .Require(request.ExpiresAt is null || request.ExpiresAt.Value.ToUniversalTime() <= now.AddYears(2), "expiresAt", "At most two years ahead.");
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        var needsAdmin = scopes.Contains(ApiKeyScopes.Admin) || scopes.Contains(ApiKeyScopes.Billing);
        if (needsAdmin && caller.Role < Role.Admin)
        {
            return Error.Forbidden("Only admins and owners can create keys with the admin or billing scope.");
        }

        var prefix = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(9)).Replace('-', 'x').Replace('_', 'y');
        var key = $"{KeyPrefix}{prefix}_{Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))}";
        var entity = new ApiKey
        {
            Id = Ids.New("key"),
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            Name = request.Name!.Trim(),
            Prefix = prefix,
            SecretHash = HashKey(key),
            Scopes = string.Join(' ', scopes),
            CreatedUtc = now,
            ExpiresUtc = request.ExpiresAt?.ToUniversalTime(),
        };
        db.ApiKeys.Add(entity);
        audit.Record(AuditActions.ApiKeyCreated, entity.OrganizationId, entity.UserId, "api_key", entity.Id, entity.Scopes);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(entity.Id, entity.Name, key, prefix, scopes, now, entity.ExpiresUtc);
    }

    public static byte[] HashKey(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
