using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Accounts;

public sealed record LogInRequest(string? Email, string? Password);

/// <summary>
/// Password login with lockout: after <see cref="AuthOptions.LockoutThreshold"/> failures within
/// the window the address is locked for the lockout duration. Unknown addresses are counted and
/// locked the same way and cost the same hashing time, so answers never tell whether an account exists.
/// </summary>
public sealed class LogIn(AppDbContext db, PasswordHasher hasher, TokenService tokens, AuditLog audit, IOptions<AuthOptions> options, TimeProvider time)
{
    public async Task<Result<AuthResponse>> HandleAsync(LogInRequest request, CancellationToken ct)
    {
        var settings = options.Value;
        var email = User.Normalize(request.Email ?? "");
        var password = request.Password ?? "";
        if (email.Length is 0 or > 254 || password.Length is 0 or > PasswordPolicy.MaxLength)
        {
            return InvalidCredentials();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var lockedUntil = await db.LoginThrottles.AsNoTracking()
            .Where(t => t.NormalizedEmail == email && t.LockedUntilUtc > now)
            .Select(t => t.LockedUntilUtc)
            .FirstOrDefaultAsync(ct);
        if (lockedUntil is { } until)
        {
            return Locked(until - now);
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == email, ct);
        var check = user is null ? default : await hasher.VerifyAsync(password, user.PasswordHash, ct);
        var (valid, needsRehash) = check;
        if (user is null)
        {
            await hasher.VerifyAgainstDummyAsync(password, ct);
        }

        var organization = user is null ? null : await db.DefaultOrganizationAsync(user.Id, ct);
        if (!valid)
        {
            var lockedNow = await CountFailureAsync(email, now, settings, ct);
            audit.Record(AuditActions.LoginFailed, organization?.Id, user?.Id, "user", user?.Id);
            if (lockedNow)
            {
                audit.Record(AuditActions.LockedOut, organization?.Id, user?.Id, "user", user?.Id);
            }

            await db.SaveChangesAsync(ct);
            return InvalidCredentials();
        }

        await db.LoginThrottles.Where(t => t.NormalizedEmail == email).ExecuteDeleteAsync(ct);
        if (needsRehash)
        {
            user!.PasswordHash = await hasher.HashAsync(password, ct);
            user.UpdatedUtc = now;
        }

        var pair = tokens.Issue(user!.Id);
        audit.Record(AuditActions.LoginSucceeded, organization?.Id, user.Id, "user", user.Id);
        await db.SaveChangesAsync(ct);
        return new AuthResponse(UserView.From(user), organization, pair.AccessToken, pair.RefreshToken, pair.ExpiresIn);
    }

    /// <summary>Atomically counts one failure; true when this failure started a lockout.</summary>
    private async Task<bool> CountFailureAsync(string email, DateTime now, AuthOptions settings, CancellationToken ct)
    {
        var windowStart = now - settings.LockoutWindow;
        var counted = await db.LoginThrottles
            .Where(t => t.NormalizedEmail == email && t.WindowStartUtc > windowStart)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, t => t.Failures + 1), ct);
        if (counted == 0)
        {
            // No live window: drop a stale one and start anew. A concurrent failure may have
            // started the new window first; then the insert collides and this failure is counted in it.
            await db.LoginThrottles.Where(t => t.NormalizedEmail == email && t.WindowStartUtc <= windowStart).ExecuteDeleteAsync(ct);
            try
            {
                db.LoginThrottles.Add(new LoginThrottle { NormalizedEmail = email, Failures = 1, WindowStartUtc = now });
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (db.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
                await db.LoginThrottles.Where(t => t.NormalizedEmail == email)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Failures, t => t.Failures + 1), ct);
            }
        }

        var lockUntil = now + settings.LockoutDuration;
        var locked = await db.LoginThrottles
            .Where(t => t.NormalizedEmail == email && t.Failures >= settings.LockoutThreshold && t.LockedUntilUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LockedUntilUtc, lockUntil), ct);
        return locked == 1;
    }

    private static Error InvalidCredentials() =>
        new(ErrorKind.Unauthorized, "invalid-credentials", "The e-mail address or password is incorrect.");

    private static Error Locked(TimeSpan remaining) =>
        new(ErrorKind.Locked, "locked-out", "Too many failed logins. Try again later.") { RetryAfterSeconds = (int)Math.Ceiling(remaining.TotalSeconds) };
}
