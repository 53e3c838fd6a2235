using System.Text.Json;
using System.Text.RegularExpressions;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Prompts;

public sealed record AddPromptVersionRequest(string? Kind, string? Version, string? Content, string? Description);

/// <summary>
/// Adds a version of a prompt or rubric to the caller's organization (admins). It becomes the active
/// version of its kind for that organization at once. A rubric's content must be a JSON array of
/// 1–12 <c>{criterion, description}</c> objects; a prompt's is text.
/// </summary>
public sealed partial class AddPromptVersion(AppDbContext db, Caller caller, AuditLog audit, TimeProvider time)
{
    public const int MaxContentLength = 20_000;
    public const int MaxDescriptionLength = 300;
    public const int MaxRubricCriteria = 12;

    public async Task<Result<PromptVersionView>> HandleAsync(AddPromptVersionRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.Kind is not null && PromptKinds.All.Contains(request.Kind), "kind", "One of match, questions, rubric.")
            .Require(request.Version is not null && VersionPattern().IsMatch(request.Version), "version", "2 to 40 characters: lower-case letters, digits, '.', '-' or '_', starting with a letter or digit.")
            .Text(request.Content, "content", MaxContentLength, required: true)
            .Text(request.Description, "description", MaxDescriptionLength);
        if (request.Kind == PromptKinds.Rubric && request.Content is { Length: <= MaxContentLength } rubric)
        {
            validation.Require(IsRubric(rubric), "content", $"A rubric is a JSON array of 1 to {MaxRubricCriteria} objects {{\"criterion\", \"description\"}} (criterion up to 60 characters, description up to 500).");
        }

        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (await db.PromptVersions.AnyAsync(p => p.Version == request.Version, ct))
        {
            return new Error(ErrorKind.Conflict, "prompt-version-exists", $"A version named {request.Version} already exists; versions are never replaced, choose a new name.");
        }

        var version = new PromptVersion
        {
            Id = Ids.New("prm"),
            OrganizationId = caller.RequireOrganizationId,
            Kind = request.Kind!,
            Version = request.Version!,
            Content = request.Content!.Trim(),
            Description = request.Description?.Trim() is { Length: > 0 } d ? d : null,
            CreatedByUserId = caller.UserId,
            CreatedUtc = StoredTime.Now(time),
        };
        db.PromptVersions.Add(version);
        audit.Record(AuditActions.PromptVersionAdded, version.OrganizationId, caller.UserId, "prompt_version", version.Id, $"{version.Kind} {version.Version}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return new Error(ErrorKind.Conflict, "prompt-version-exists", $"A version named {request.Version} already exists; versions are never replaced, choose a new name.");
        }

        return PromptVersions.View(version, active: true);
    }

    public static bool IsRubric(string content)
    {
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array
                && root.GetArrayLength() is >= 1 and <= MaxRubricCriteria
                && root.EnumerateArray().All(c => c.ValueKind == JsonValueKind.Object
                    && c.TryGetProperty("criterion", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Trim().Length is >= 1 and <= 60
                    && c.TryGetProperty("description", out var description) && description.ValueKind == JsonValueKind.String && description.GetString()!.Trim().Length is >= 1 and <= 500);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{1,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
