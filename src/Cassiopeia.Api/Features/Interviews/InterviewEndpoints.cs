using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Interviews.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Interviews;

public static class InterviewEndpoints
{
    public static IEndpointRouteBuilder MapInterviewEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/interviews").WithTags("Interview practice");
        group.MapPost("/", CreateAsync).WithName("CreateInterview").RequireRole(Role.Member, ApiKeyScopes.Ai).WithIdempotency();
        group.MapGet("/", ListAsync).WithName("ListInterviews").RequireRole(Role.Viewer, ApiKeyScopes.Ai);
        group.MapGet("/{id}", GetAsync).WithName("GetInterview").RequireRole(Role.Viewer, ApiKeyScopes.Ai).WithETag();
        group.MapPost("/{id}/questions/{questionId}/answers", AnswerAsync).WithName("AnswerQuestion").RequireRole(Role.Member, ApiKeyScopes.Ai).WithIdempotency();
        return app;
    }

    /// <summary>Matches a ready CV against a ready job description and generates practice questions with rubrics and sources.</summary>
    internal static async Task<Results<Created<InterviewView>, ProblemHttpResult>> CreateAsync(CreateInterviewRequest request, CreateInterview create, CancellationToken ct)
    {
        var result = await create.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/interviews/{result.Value!.Id}", result.Value) : result.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<PageResponse<InterviewSummaryView>>, ProblemHttpResult>> ListAsync(int? limit, string? cursor, ListInterviews list, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        return page.Succeeded ? TypedResults.Ok((await list.HandleAsync(page.Value!, ct)).ToResponse()) : page.Error!.ToProblem();
    }

    /// <summary>The interview with its questions, answers and feedback so far, and the pending follow-up question.</summary>
    internal static async Task<Results<Ok<InterviewView>, ProblemHttpResult>> GetAsync(string id, GetInterview get, CancellationToken ct) =>
        id.Length <= 40 && await get.HandleAsync(id, ct) is { } interview ? TypedResults.Ok(interview) : Problems.NotFound("interview");

    /// <summary>Scores an answer against the question's rubric, stores it, and offers a follow-up question.</summary>
    internal static async Task<Results<Created<AnsweredView>, ProblemHttpResult>> AnswerAsync(string id, string questionId, AnswerQuestionRequest request, AnswerQuestion answer, CancellationToken ct)
    {
        var result = await answer.HandleAsync(id, questionId, request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/interviews/{id}", result.Value) : result.Error!.ToProblem();
    }
}
