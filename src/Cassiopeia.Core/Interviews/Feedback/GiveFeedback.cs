using System.Text.RegularExpressions;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Feedback;

public sealed record GiveFeedbackRequest(string? TargetType, string? TargetId, int? Rating, string? Comment);

/// <summary>
/// Stores a user's rating of an AI output. A stored output (match, interview, question, answer) must
/// exist in the caller's organization, else 404, exactly like a missing one; a type whose store has
/// no <see cref="IFeedbackTarget"/> registered cannot be rated (fails closed). Answers to <c>ask</c>
/// are not stored, so their id is the client's reference, checked for shape only.
/// </summary>
public sealed partial class GiveFeedback(AppDbContext db, Caller caller, IEnumerable<IFeedbackTarget> targets, TimeProvider time)
{
    public const int MaxCommentLength = 2000;
    public const int MaxTargetIdLength = 100;

    public async Task<Result<FeedbackView>> HandleAsync(GiveFeedbackRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.TargetType is not null && FeedbackTargetTypes.All.Contains(request.TargetType), "targetType", "One of match, interview, question, answer, ask.")
            .Require(request.TargetId is not null && TargetIdPattern().IsMatch(request.TargetId), "targetId", $"1 to {MaxTargetIdLength} letters, digits, '_' or '-'.")
            .Require(request.Rating is -1 or 1, "rating", "-1 or 1.")
            .Text(request.Comment, "comment", MaxCommentLength);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (FeedbackTargetTypes.Stored.Contains(request.TargetType!))
        {
            var target = targets.FirstOrDefault(t => t.TargetType == request.TargetType);
            if (target is null || request.TargetId!.Length > Ids.MaxLength || !await target.ExistsAsync(request.TargetId, ct))
            {
                return Error.NotFound(request.TargetType!);
            }
        }

        var feedback = new AiFeedback
        {
            Id = Ids.New("fbk"),
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            ApiKeyId = caller.ApiKeyId,
            TargetType = request.TargetType!,
            TargetId = request.TargetId!,
            Rating = request.Rating!.Value,
            Comment = request.Comment?.Trim() is { Length: > 0 } c ? c : null,
            CreatedUtc = StoredTime.Now(time),
        };
        db.Feedback.Add(feedback);
        await db.SaveChangesAsync(ct);
        return new FeedbackView(feedback.Id, feedback.TargetType, feedback.TargetId, feedback.Rating, feedback.Comment, feedback.CreatedUtc);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex TargetIdPattern();
}
