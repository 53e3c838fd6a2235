using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.UnitTests.Ai;

/// <summary>
/// A real HTTP server on 127.0.0.1 speaking the OpenAI embeddings protocol. Each input's vector is
/// [its length, 1, 0, …] (not unit length, so re-normalisation shows); queued failures are
/// answered first.
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, string? Authorization, JsonObject Body)> Requests { get; } = new();

    public ConcurrentQueue<(int Status, string? RetryAfter, string Message)> Failures { get; } = new();

    public Uri Endpoint => new(_app.Urls.First() + "/v1");

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapPost("/v1/embeddings", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        Requests.Enqueue((context.Request.Path, context.Request.Headers.Authorization, body));
        if (Failures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfter;
            }

            await context.Response.WriteAsJsonAsync(new { error = new { message = failure.Message, type = "invalid_request_error" } });
            return;
        }

        var dimensions = body["dimensions"]?.GetValue<int>() ?? 4;
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var inputs = body["input"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        var data = inputs.Select((text, index) =>
        {
            var vector = new float[dimensions];
            vector[0] = text.Length;
            vector[1] = 1;
            object embedding = base64 ? Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())) : vector;
            return new { @object = "embedding", index, embedding };
        });
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data,
            model = body["model"]!.GetValue<string>(),
            usage = new { prompt_tokens = inputs.Length * 3, total_tokens = inputs.Length * 3 },
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
