using System.Net.Mail;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

public sealed record SignUpRequest(string? Email, string? Password, string? Name, string? OrganizationName);

/// <summary>Creates a user, their first organization (as owner) and a session, in one transaction.</summary>
public sealed class SignUp(AppDbContext db, PasswordHasher hasher, TokenService tokens, AuditLog audit, TimeProvider time)
{
    public async Task<Result<AuthResponse>> HandleAsync(SignUpRequest request, CancellationToken ct)
    {
        var email = request.Email?.Trim() ?? "";
        var validation = new Validation()
            .Require(IsEmail(email), "email", "A valid e-mail address is required.")
            .Text(request.Name, "name", 100)
            .Text(request.OrganizationName, "organizationName", 100);
        var passwordProblem = PasswordPolicy.Check(request.Password, email);
        validation.Require(passwordProblem is null, "password", passwordProblem ?? "");
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        var user = new User
        {
            Id = Ids.New("usr"),
            Email = email,
            NormalizedEmail = User.Normalize(email),
            Name = name,
            PasswordHash = await hasher.HashAsync(request.Password!, ct),
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        var organization = new Organization
        {
            Id = Ids.New("org"),
            Name = string.IsNullOrWhiteSpace(request.OrganizationName) ? $"{name ?? email.Split('@')[0]}'s organization" : request.OrganizationName.Trim(),
            CreatedUtc = now,
        };
        db.Users.Add(user);
        db.Organizations.Add(organization);
        db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = user.Id, Role = Role.Owner, CreatedUtc = now });
        var pair = tokens.Issue(user.Id);
        audit.Record(AuditActions.SignedUp, organization.Id, user.Id, "user", user.Id);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return new Error(ErrorKind.Conflict, "email-taken", "An account with this e-mail address already exists.");
        }

        return new AuthResponse(UserView.From(user), new OrganizationView(organization.Id, organization.Name, Role.Owner.ToApi()), pair.AccessToken, pair.RefreshToken, pair.ExpiresIn);
    }

    internal static bool IsEmail(string email) =>
        email.Length is > 2 and <= 254
        && MailAddress.TryCreate(email, out var parsed)
        && string.Equals(parsed.Address, email, StringComparison.Ordinal)
        && !email.Any(char.IsControl);
}
