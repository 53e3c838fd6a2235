using System.Diagnostics;
using System.Net;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Microsoft.Extensions.AI;

namespace Cassiopeia.UnitTests.Ai;

public sealed class OpenAiEmbeddingGeneratorTests : IAsyncLifetime
{
    private const string Key = "sk-test-7b3e";
    private FakeEmbeddingServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeEmbeddingServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private OpenAiEmbeddingGenerator Generator(int batchSize = 16, int maxRetries = 2) =>
        new(_server.Endpoint, Key, "text-embedding-3-small", dimensions: 4, maxRetries: maxRetries, batchSize: batchSize);

    [Fact]
    public async Task Request_carries_model_inputs_dimensions_and_bearer_key()
    {
        using var generator = Generator();

        var result = await generator.GenerateAsync(["first text", "second"]);

        var (path, authorization, body) = Assert.Single(_server.Requests);
        Assert.Equal("/v1/embeddings", path);
        Assert.Equal($"Bearer {Key}", authorization);
        Assert.Equal("text-embedding-3-small", body["model"]!.GetValue<string>());
        Assert.Equal(["first text", "second"], body["input"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(4, body["dimensions"]!.GetValue<int>());

        Assert.Equal(2, result.Count);
        Assert.Equal("openai:text-embedding-3-small@4", result[0].ModelId);
        Assert.Equal(6, result.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Vectors_are_renormalised_and_kept_in_input_order()
    {
        using var generator = Generator();

        var result = await generator.GenerateAsync(["abc", "abcdefg"]);

        VectorAssert.IsUnit(result[0].Vector);
        VectorAssert.Close(new[] { 3f, 1f, 0f, 0f }.Select(x => x / MathF.Sqrt(10)).ToArray(), result[0].Vector, 1e-6f);
        VectorAssert.Close(new[] { 7f, 1f, 0f, 0f }.Select(x => x / MathF.Sqrt(50)).ToArray(), result[1].Vector, 1e-6f);
    }

    [Fact]
    public async Task Inputs_are_sent_in_batches_of_the_configured_size()
    {
        using var generator = Generator(batchSize: 2);

        var result = await generator.GenerateAsync(["a", "bb", "ccc", "dddd", "eeeee"]);

        Assert.Equal([2, 2, 1], _server.Requests.Select(r => r.Body["input"]!.AsArray().Count));
        Assert.Equal([1f, 2f, 3f, 4f, 5f], result.Select(e => MathF.Round(e.Vector.Span[0] / e.Vector.Span[1])));
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_time_retry_after_asks()
    {
        _server.Failures.Enqueue((429, "2", "Rate limit reached"));
        using var generator = Generator();

        var stopwatch = Stopwatch.StartNew();
        var result = await generator.GenerateAsync(["retry me"]);

        Assert.Single(result);
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(1.9), $"retried after {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task Bad_request_surfaces_once_with_status_and_message_but_not_the_key()
    {
        _server.Failures.Enqueue((400, null, "Model does not support dimensions"));
        using var generator = Generator();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => generator.GenerateAsync(["text"]));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Contains("Model does not support dimensions", error.Message, StringComparison.Ordinal);
        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Server_errors_beyond_the_retry_budget_surface()
    {
        _server.Failures.Enqueue((503, "0", "overloaded"));
        _server.Failures.Enqueue((503, "0", "overloaded"));
        using var generator = Generator(maxRetries: 1);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => generator.GenerateAsync(["text"]));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Dimensions_are_left_out_when_the_model_rejects_them()
    {
        using var generator = new OpenAiEmbeddingGenerator(_server.Endpoint, null, "nomic-embed-text", 4, sendDimensions: false);

        await generator.GenerateAsync(["text"]);

        Assert.Null(Assert.Single(_server.Requests).Body["dimensions"]);
        Assert.Equal("openai", generator.GetService<EmbeddingGeneratorMetadata>()!.ProviderName);
    }

    [Fact]
    public void Token_counter_uses_cl100k_and_falls_back_for_unknown_models()
    {
        Assert.Equal(6, TiktokenCounter.For("text-embedding-3-small").CountTokens("Senior C# engineer, remote"));
        Assert.Equal(6, TiktokenCounter.For("nomic-embed-text").CountTokens("Senior C# engineer, remote"));
    }
}
