using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Api.Http;

/// <summary>
/// <c>Idempotency-Key</c> on creating POSTs (IETF draft semantics): the first response is stored
/// for 24 hours and replayed for the same key and the same request; the same key with a different
/// request is 422; a key whose first request is still running is 409. Keys are scoped to the
/// caller (API key, user, or anonymous), so two callers never see each other's responses.
/// Server errors are not stored, so a retry after a 5xx runs again. Stored bodies are encrypted
/// with ASP.NET Core Data Protection: they can hold secrets shown once (tokens, API keys), which
/// must not sit readable in the database.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider time, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Cassiopeia.Idempotency.v1");

    public const string HeaderName = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private const int MaxStoredBody = 256 * 1024;

    public async Task InvokeAsync(HttpContext context, Caller caller, IProblemDetailsService problems)
    {
        var key = context.Request.Headers[HeaderName].ToString();
        if (key.Length == 0 || context.GetEndpoint()?.Metadata.GetMetadata<IdempotentAttribute>() is null)
        {
            await next(context);
            return;
        }

        if (key.Length > 255 || !key.All(c => c is >= '!' and <= '~'))
        {
            await problems.WriteAsync(context, 400, "invalid-idempotency-key", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
            return;
        }

        var scope = caller.ApiKeyId ?? caller.UserId ?? "anonymous";
        var requestHash = await HashRequestAsync(context.Request);
        var now = time.GetUtcNow().UtcDateTime;
        var existing = await ClaimAsync(scope, key, requestHash, now, context.RequestAborted);
        if (existing is not null)
        {
            await AnswerExistingAsync(context, problems, existing, requestHash);
            return;
        }

        var originalBody = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(context);
            completed = true;
        }
        finally
        {
            context.Response.Body = originalBody;
            var status = context.Response.StatusCode;
            var store = completed && status < 500 && buffer.Length <= MaxStoredBody;
            await FinishAsync(scope, key, store ? context.Response : null, store ? _protector.Protect(buffer.ToArray()) : []);
            buffer.Position = 0;
            if (completed)
            {
                await buffer.CopyToAsync(originalBody, context.RequestAborted);
            }
        }
    }

    /// <summary>Inserts an in-flight record; returns the existing one when the key was used before.</summary>
    private async Task<IdempotencyRecord?> ClaimAsync(string scope, string key, byte[] requestHash, DateTime now, CancellationToken ct)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<AppDbContext>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == scope && r.Key == key, ct);
            if (existing is not null && existing.ExpiresUtc > now)
            {
                return existing;
            }

            if (existing is not null)
            {
                await db.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key).ExecuteDeleteAsync(ct);
            }

            db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = scope, Key = key, RequestHash = requestHash, CreatedUtc = now, ExpiresUtc = now + Retention });
            try
            {
                await db.SaveChangesAsync(ct);
                return null;
            }
            catch (DbUpdateException e) when (db.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
        }

        return await db.IdempotencyRecords.AsNoTracking().FirstAsync(r => r.Scope == scope && r.Key == key, ct);
    }

    private async Task FinishAsync(string scope, string key, HttpResponse? response, byte[] body)
    {
        await using var serviceScope = scopes.CreateAsyncScope();
        var db = serviceScope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = db.IdempotencyRecords.Where(r => r.Scope == scope && r.Key == key);
        if (response is null)
        {
            await row.ExecuteDeleteAsync(CancellationToken.None);
            return;
        }

        var status = response.StatusCode;
        var contentType = response.ContentType;
        var location = response.Headers.Location.ToString() is { Length: > 0 } l ? l : null;
        await row.ExecuteUpdateAsync(
            s => s.SetProperty(r => r.StatusCode, status).SetProperty(r => r.ContentType, contentType).SetProperty(r => r.Location, location).SetProperty(r => r.Body, body),
            CancellationToken.None);
    }

    private async Task AnswerExistingAsync(HttpContext context, IProblemDetailsService problems, IdempotencyRecord existing, byte[] requestHash)
    {
        if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, requestHash))
        {
            await problems.WriteAsync(context, 422, "idempotency-key-reused", "This Idempotency-Key was used with a different request.");
            return;
        }

        if (existing.StatusCode == 0)
        {
            await problems.WriteAsync(context, 409, "idempotency-key-in-use", "A request with this Idempotency-Key is still being processed; retry shortly.");
            return;
        }

        context.Response.StatusCode = existing.StatusCode;
        context.Response.ContentType = existing.ContentType;
        if (existing.Location is not null)
        {
            context.Response.Headers.Location = existing.Location;
        }

        context.Response.Headers["Idempotent-Replayed"] = "true";
        if (existing.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(_protector.Unprotect(body), context.RequestAborted);
        }
    }

    private static async Task<byte[]> HashRequestAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        request.Body.Position = 0;
        return sha.GetHashAndReset();
    }
}
