using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>What the fake chat server does with one call.</summary>
public sealed record FakeChatReply(FakeChatReply.Kinds Kind, string? Text = null, int Status = 200, string? RetryAfter = null)
{
    public enum Kinds
    {
        Answer,
        Status,
        Hang,
        Malformed,
        HangMidStream,
    }

    public static FakeChatReply Answer(string text) => new(Kinds.Answer, text);

    /// <summary>Structured output: <paramref name="value"/> serialized as the message content (camelCase, as a model following a JSON schema writes it).</summary>
    public static FakeChatReply Json(object value) => new(Kinds.Answer, JsonSerializer.Serialize(value, JsonSerializerOptions.Web));

    public static FakeChatReply Fail(int status, string? retryAfter = null) => new(Kinds.Status, Status: status, RetryAfter: retryAfter);

    /// <summary>Never answers (until the caller gives up).</summary>
    public static FakeChatReply Hang() => new(Kinds.Hang);

    /// <summary>200 with a body that is not JSON (or, streaming, an event that is not).</summary>
    public static FakeChatReply Malformed() => new(Kinds.Malformed);

    /// <summary>Streams the first words of <paramref name="text"/>, then stops sending without closing.</summary>
    public static FakeChatReply HangMidStream(string text) => new(Kinds.HangMidStream, text);
}

/// <summary>One call the fake chat server received.</summary>
public sealed record FakeChatRequest(JsonElement Body, string Authorization, DateTimeOffset ReceivedAt)
{
    public bool Stream => Body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;

    /// <summary>The <c>response_format</c> the client asked for, if any (structured output sends a JSON schema there).</summary>
    public JsonElement? ResponseFormat => Body.TryGetProperty("response_format", out var format) ? format : null;

    /// <summary>Every message in order, as (role, text).</summary>
    public IReadOnlyList<(string Role, string Text)> Messages => Body.GetProperty("messages").EnumerateArray()
        .Select(m => (m.GetProperty("role").GetString()!, Text(m.GetProperty("content"))))
        .ToList();

    public string Message(string role) => Messages.First(m => m.Role == role).Text;

    private static string Text(JsonElement content) => content switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString()!,
        var parts => string.Concat(parts.EnumerateArray().Select(p => p.GetProperty("text").GetString())),
    };
}

/// <summary>
/// A real HTTP server on a loopback port speaking the OpenAI chat completions protocol (JSON and
/// <c>stream: true</c> server-sent events with a final usage chunk), standing in for a model
/// provider. Tests script the next replies (errors with Retry-After, hangs, malformed output, structured
/// JSON replies of any shape); calls without a script answer <see cref="DefaultAnswer"/>.
/// </summary>
public sealed partial class FakeChatServer : IAsyncDisposable
{
    public const string Model = "fake-chat";
    public const int PromptTokens = 321;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeChatReply> _script = new();
    private readonly CancellationTokenSource _stopping = new();

    private FakeChatServer(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    public string DefaultAnswer { get; set; } = "Nothing to say [1].";

    public ConcurrentQueue<FakeChatRequest> Requests { get; } = new();

    public static async Task<FakeChatServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeChatServer(app);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        server.Endpoint = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";
        return server;
    }

    /// <summary>Forgets earlier calls and scripts the next ones.</summary>
    public void Script(params FakeChatReply[] replies)
    {
        Requests.Clear();
        _script.Clear();
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>The pieces a stream sends: each word with its following space.</summary>
    public static List<string> Pieces(string text) => WordPattern().Matches(text).Select(m => m.Value).ToList();

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.Request.Path.Value!.EndsWith("/chat/completions", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var request = new FakeChatRequest(body.RootElement.Clone(), context.Request.Headers.Authorization.ToString(), DateTimeOffset.UtcNow);
        Requests.Enqueue(request);
        var reply = _script.TryDequeue(out var next) ? next : FakeChatReply.Answer(DefaultAnswer);
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        switch (reply.Kind)
        {
            case FakeChatReply.Kinds.Status:
                context.Response.StatusCode = reply.Status;
                if (reply.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = reply.RetryAfter;
                }

                await context.Response.WriteAsJsonAsync(new { error = new { message = "The fake provider was told to fail.", type = "server_error", code = (string?)null } });
                return;
            case FakeChatReply.Kinds.Hang:
                await WaitForeverAsync(aborted.Token);
                return;
            case FakeChatReply.Kinds.Malformed when !request.Stream:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [{\"index\": 0, \"message\": {\"content\": \"unterminated");
                return;
            case FakeChatReply.Kinds.Malformed:
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("data: {\"choices\": [{\"delta\": {\"content\": \"broken\n\n");
                return;
        }

        if (!request.Stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake",
                @object = "chat.completion",
                created = 1_700_000_000,
                model = Model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = reply.Text }, finish_reason = "stop" } },
                usage = new { prompt_tokens = PromptTokens, completion_tokens = Pieces(reply.Text!).Count, total_tokens = PromptTokens + Pieces(reply.Text!).Count },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var pieces = Pieces(reply.Text!);
        var sent = reply.Kind == FakeChatReply.Kinds.HangMidStream ? pieces.Take(2).ToList() : pieces;
        for (var i = 0; i < sent.Count; i++)
        {
            var delta = new Dictionary<string, string> { ["content"] = sent[i] };
            if (i == 0)
            {
                delta["role"] = "assistant";
            }

            await SendAsync(context, Chunk(delta, null), aborted.Token);
        }

        if (reply.Kind == FakeChatReply.Kinds.HangMidStream)
        {
            await WaitForeverAsync(aborted.Token);
            return;
        }

        await SendAsync(context, Chunk(new Dictionary<string, string>(), "stop"), aborted.Token);
        await SendAsync(context, new
        {
            id = "chatcmpl-fake",
            @object = "chat.completion.chunk",
            created = 1_700_000_000,
            model = Model,
            choices = Array.Empty<object>(),
            usage = new { prompt_tokens = PromptTokens, completion_tokens = pieces.Count, total_tokens = PromptTokens + pieces.Count },
        }, aborted.Token);
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted.Token);
    }

    private static object Chunk(object delta, string? finishReason) => new
    {
        id = "chatcmpl-fake",
        @object = "chat.completion.chunk",
        created = 1_700_000_000,
        model = Model,
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static async Task SendAsync(HttpContext context, object data, CancellationToken ct)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(data) + "\n\n", ct);
        await context.Response.Body.FlushAsync(ct);
    }

    private static async Task WaitForeverAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the server stops): the point of the exercise.
        }
    }

    [GeneratedRegex(@"\S+\s*")]
    private static partial Regex WordPattern();
}
