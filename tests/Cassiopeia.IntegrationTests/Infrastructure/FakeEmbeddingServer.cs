using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A real HTTP server on a loopback port speaking the OpenAI embeddings protocol, standing in for
/// an embedding provider outside this machine. Vectors are deterministic per text. Tests steer it:
/// fail the next calls with a status, or hold calls until released.
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    public const int Dimensions = 16;

    private readonly WebApplication _app;
    private int _failuresLeft;
    private int _failureStatus = 500;
    private TaskCompletionSource _gate = CompletedGate();

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public string Endpoint { get; private set; } = "";

    /// <summary>Every text received, in order.</summary>
    public ConcurrentQueue<string> Inputs { get; } = new();

    public int Calls => _calls;

    /// <summary>Every Authorization header received.</summary>
    public ConcurrentQueue<string> Authorizations { get; } = new();

    /// <summary>Completes when a call arrives while the gate is closed.</summary>
    public TaskCompletionSource CallHeld { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _calls;

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = address + "/v1";
        return server;
    }

    /// <summary>The next <paramref name="count"/> calls answer <paramref name="status"/>.</summary>
    public void FailNext(int count, int status = 500)
    {
        _failureStatus = status;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>Calls wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        CallHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _gate.TrySetResult();

    public static float[] VectorOf(string text)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var vector = new float[Dimensions];
        for (var i = 0; i < Dimensions; i++)
        {
            vector[i] = (hash[i] - 127.5f) / 127.5f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.Request.Path.Value!.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }

        Interlocked.Increment(ref _calls);
        Authorizations.Enqueue(context.Request.Headers.Authorization.ToString());
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var input = body.RootElement.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(e => e.GetString()!).ToList() : [input.GetString()!];
        foreach (var text in texts)
        {
            Inputs.Enqueue(text);
        }

        if (!_gate.Task.IsCompleted)
        {
            CallHeld.TrySetResult();
            await _gate.Task.WaitAsync(context.RequestAborted);
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            context.Response.StatusCode = _failureStatus;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "The fake provider was told to fail.", type = "server_error" } });
            return;
        }

        Interlocked.Exchange(ref _failuresLeft, 0);
        var base64 = body.RootElement.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var data = texts.Select((text, index) =>
        {
            var vector = VectorOf(text);
            object embedding = base64 ? Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray()) : vector;
            return new { @object = "embedding", index, embedding };
        }).ToList();
        var tokens = texts.Sum(t => t.Split(' ').Length);
        await context.Response.WriteAsJsonAsync(new
        {
            @object = "list",
            data,
            model = body.RootElement.TryGetProperty("model", out var model) ? model.GetString() : "fake",
            usage = new { prompt_tokens = tokens, total_tokens = tokens },
        });
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }
}
