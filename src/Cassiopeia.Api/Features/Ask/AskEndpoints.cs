using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Answers;
using Cassiopeia.Core.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Ask;

public static class AskEndpoints
{
    public static IEndpointRouteBuilder MapAskEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/ask", AskAsync).WithName("Ask").WithTags("Ask").RequireRole(Role.Viewer, ApiKeyScopes.Ai);
        return app;
    }

    /// <summary>
    /// The answer as JSON, or with <c>Accept: text/event-stream</c> as server-sent events: <c>token</c>
    /// (<c>{text}</c>) for each piece, then <c>citations</c> (<c>{answer, citations, usage}</c>), or
    /// <c>error</c> (a problem) when the provider fails midway. Invalid requests are 400 problems either way.
    /// </summary>
    internal static async Task<Results<Ok<AskResponse>, ServerSentEventsResult<object>, ProblemHttpResult>> AskAsync(
        AskRequest request, AskQuestion ask, HttpContext context, CancellationToken ct)
    {
        if (!WantsEventStream(context.Request))
        {
            var result = await ask.RunAsync(request, ct);
            return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!.ToProblem(context);
        }

        var prepared = await ask.PrepareAsync(request, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Error!.ToProblem(context);
        }

        return TypedResults.ServerSentEvents(EventsAsync(ask, prepared.Value!, context.TraceIdentifier, ct));
    }

    private static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    private static async IAsyncEnumerable<SseItem<object>> EventsAsync(AskQuestion ask, PreparedQuestion prepared, string traceIdentifier, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var step in ask.StreamAsync(prepared, ct))
        {
            yield return step switch
            {
                AnswerToken token => new SseItem<object>(new AskTokenEvent(token.Text), "token"),
                AnswerCompleted done => new SseItem<object>(new AskCitationsEvent(done.Answer, done.Citations, done.Usage), "citations"),
                AnswerFailed failed => new SseItem<object>(AskErrorEvent.From(failed.Error, Activity.Current?.TraceId.ToHexString() ?? traceIdentifier), "error"),
                _ => throw new UnreachableException(),
            };
        }
    }
}
