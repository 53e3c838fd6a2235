using Cassiopeia.Core.Answers;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Interviews.Prompts;

/// <summary>
/// Reading the prompt versions an organization sees (the built-in ones and its own). The active
/// version of a kind is the newest one: an organization's own newest version once it added one,
/// else the built-in version. Going back means adding the older text again as a new version, so the
/// history of what produced which result is never rewritten.
/// </summary>
public sealed class PromptVersions(AppDbContext db, IOptions<ChatModelOptions> chat)
{
    public async Task<Result<Page<PromptVersionView>>> ListAsync(string? kind, PageRequest page, CancellationToken ct)
    {
        if (kind is not null && !PromptKinds.All.Contains(kind))
        {
            return Error.Validation("kind", "One of match, questions, rubric.");
        }

        var active = new HashSet<string>(StringComparer.Ordinal);
        foreach (var k in PromptKinds.All)
        {
            active.Add((await ActiveAsync(k, ct)).Id);
        }

        var rows = await db.PromptVersions.AsNoTracking()
            .Where(p => kind == null || p.Kind == kind)
#pragma warning disable CA1309 // translated to SQL, where ids compare ordinally (binary / "C" collation)
            .Where(p => page.After == null || string.Compare(p.Id, page.After) > 0)
#pragma warning restore CA1309
            .OrderBy(p => p.Id)
            .Take(page.Limit + 1)
            .ToListAsync(ct);
        return PageRequest.ToPage(rows.ConvertAll(p => View(p, active.Contains(p.Id))), page.Limit, p => p.Id);
    }

    /// <summary>The version new results of <paramref name="kind"/> use: the organization's newest, else the built-in one the configuration selects.</summary>
    public async Task<PromptVersion> ActiveAsync(string kind, CancellationToken ct) =>
        await db.PromptVersions.AsNoTracking()
            .Where(p => p.Kind == kind && p.OrganizationId != null)
            .OrderByDescending(p => p.CreatedUtc)
            .ThenByDescending(p => p.Id)
            .FirstOrDefaultAsync(ct)
        ?? BuiltInPrompts.Default(kind, chat.Value.UsesOpenAi);

    public static PromptVersionView View(PromptVersion p, bool active) =>
        new(p.Id, p.Kind, p.Version, p.Description, p.Content, p.OrganizationId is null, active, p.CreatedUtc);
}
