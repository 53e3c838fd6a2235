using System.Net;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Jobs;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Ingestion;

/// <summary>
/// Ingestion against an embedding provider that misbehaves on command: a real HTTP server speaking
/// the OpenAI embeddings protocol on loopback. The tests of a class share it, so they run in order.
/// </summary>
public abstract class EmbeddingProviderTests(EmbeddingProviderFixture fixture) : IngestionTest(fixture)
{
    private FakeEmbeddingServer Server => fixture.Server;

    [Fact]
    public async Task A_transient_provider_error_is_retried_and_the_document_becomes_ready()
    {
        var owner = await SignUpAsync();
        Server.FailNext(1, 503);
        var id = await UploadAsync(owner, TestFiles.Utf8("Retry me once: the provider stumbles first."), "retry.txt");

        await WaitForAsync(owner, id, "ready");
        var job = await JobAsync(id);
        Assert.Equal(2, job!.Attempts);
        Assert.Contains(Server.Inputs, t => t.Contains("provider stumbles", StringComparison.Ordinal));
        var chunk = Assert.Single(await ChunksAsync(owner, id));
        Assert.Contains("provider stumbles", chunk.GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_poison_document_fails_after_the_attempt_limit_and_an_admin_retry_brings_it_back()
    {
        var owner = await SignUpAsync();
        Server.FailNext(1000, 500);
        var id = await UploadAsync(owner, TestFiles.Utf8("The provider refuses this one every time."), "poison.txt");

        var failed = await WaitForAsync(owner, id, "failed");
        var error = failed.GetProperty("error").GetString()!;
        Assert.Contains("HTTP 500", error, StringComparison.Ordinal);
        Assert.Contains($"failed {EmbeddingProviderFixture.MaxAttempts} times", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error, StringComparison.Ordinal);
        var dead = await JobAsync(id);
        Assert.Equal(JobStates.Dead, dead!.State);
        Assert.Equal(EmbeddingProviderFixture.MaxAttempts, dead.Attempts);
        Assert.Empty(await ChunksAsync(owner, id));

        Server.FailNext(0);
        var retried = await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/retry");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("queued", (await Json(retried)).GetProperty("status").GetString());
        await WaitForAsync(owner, id, "ready");
        Assert.Single(await ChunksAsync(owner, id));

        var audit = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/audit-events"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "document.retried");
    }

    [Fact]
    public async Task Deleting_a_document_while_it_is_embedded_leaves_nothing_behind()
    {
        var owner = await SignUpAsync();
        Server.Hold();
        var id = await UploadAsync(owner, TestFiles.Utf8("Delete me while the provider is thinking."), "doomed.txt");
        await Server.CallHeld.Task.WaitAsync(Patience);
        Assert.Equal("processing", (await Json(await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}"))).GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{id}")).StatusCode);
        Server.Release();

        // The worker finishes its call and must then find nothing to write into.
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            Assert.Null(await JobAsync(id));
            await using var scope = Factory.Services.CreateAsyncScope();
            Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDbContext>().Chunks.IgnoreQueryFilters().CountAsync(c => c.DocumentId == id));
            await Task.Delay(100);
        }

        await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}"), HttpStatusCode.NotFound);
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.StartsWith("Error Cassiopeia", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_provider_key_is_sent_to_the_provider_and_never_logged()
    {
        var owner = await SignUpAsync();
        var id = await UploadAsync(owner, TestFiles.Utf8("Check the credentials path."), "key.txt");
        await WaitForAsync(owner, id, "ready");

        Assert.Contains("Bearer test-provider-key", Server.Authorizations);
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Contains("test-provider-key", StringComparison.Ordinal));
    }

    private async Task<IngestionJob?> JobAsync(string documentId)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().IngestionJobs.AsNoTracking().SingleOrDefaultAsync(j => j.DocumentId == documentId);
    }
}

public sealed class SqliteEmbeddingProviderTests(SqliteEmbeddingProviderFixture fixture) : EmbeddingProviderTests(fixture), IClassFixture<SqliteEmbeddingProviderFixture>;

public sealed class PostgresEmbeddingProviderTests(PostgresEmbeddingProviderFixture fixture) : EmbeddingProviderTests(fixture), IClassFixture<PostgresEmbeddingProviderFixture>;
