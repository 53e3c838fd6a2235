using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Ingestion;

/// <summary>The queue itself, with no worker running (the default fixture serves the API only).</summary>
public abstract class IngestionQueueTests(ApiFixture fixture) : IngestionTest(fixture)
{
    [Fact]
    public async Task Competing_claims_take_each_job_once_and_move_its_document_to_processing()
    {
        var owner = await SignUpAsync();
        var ids = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await UploadAsync(owner, TestFiles.Utf8($"Queued document number {i} for competing claims."), $"queued-{i}.txt"));
        }

        var claimed = new List<LeasedJob>();
        for (var round = 0; round < 10 && claimed.Count < ids.Count; round++)
        {
            var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
            {
                await using var scope = Factory.Services.CreateAsyncScope();
                return await scope.ServiceProvider.GetRequiredService<IngestionQueue>().ClaimAsync(5, TimeSpan.FromMinutes(1), default);
            }));
            claimed.AddRange(results.SelectMany(r => r).Where(j => ids.Contains(j.DocumentId)));
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), claimed.Select(j => j.DocumentId).Order(StringComparer.Ordinal));
        await using var check = Factory.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var jobs = await db.IngestionJobs.Where(j => ids.Contains(j.DocumentId)).ToDictionaryAsync(j => j.Id);
        foreach (var job in claimed)
        {
            Assert.Equal(JobStates.Running, jobs[job.Id].State);
            Assert.Equal(job.LeaseToken, jobs[job.Id].LeaseToken);
            Assert.Equal(1, jobs[job.Id].Attempts);
        }

        var statuses = await db.Documents.IgnoreQueryFilters().Where(d => ids.Contains(d.Id)).Select(d => d.Status).ToListAsync();
        Assert.All(statuses, s => Assert.Equal(DocumentStatuses.Processing, s));

        // A lease is the holder's alone: completing with another claim's token fails.
        var queue = check.ServiceProvider.GetRequiredService<IngestionQueue>();
        var (first, second) = (claimed[0], claimed.First(j => j.LeaseToken != claimed[0].LeaseToken));
        Assert.False(await queue.CompleteAsync(first with { LeaseToken = second.LeaseToken }, default));
        Assert.True(await queue.CompleteAsync(first, default));
    }

    [Fact]
    public async Task A_claim_with_a_minimum_takes_nothing_until_that_many_jobs_are_due()
    {
        await using (var drain = Factory.Services.CreateAsyncScope())
        {
            // Jobs other tests of this class left due would count toward the minimum.
            await drain.ServiceProvider.GetRequiredService<IngestionQueue>().ClaimAsync(10_000, TimeSpan.FromHours(1), default);
        }

        var owner = await SignUpAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await UploadAsync(owner, TestFiles.Utf8($"Waiting for company, document number {i}."), $"waiting-{i}.txt"));
        }

        await using var scope = Factory.Services.CreateAsyncScope();
        var queue = scope.ServiceProvider.GetRequiredService<IngestionQueue>();
        Assert.Empty(await queue.ClaimAsync(16, 4, TimeSpan.FromMinutes(1), default));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.All(await db.IngestionJobs.Where(j => ids.Contains(j.DocumentId)).ToListAsync(), j => Assert.Equal((JobStates.Pending, 0), (j.State, j.Attempts)));

        var claimed = await queue.ClaimAsync(16, 3, TimeSpan.FromMinutes(1), default);
        Assert.Equal(ids.Order(StringComparer.Ordinal), claimed.Select(j => j.DocumentId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Concurrent_uploads_of_two_organizations_each_land_in_their_own_with_their_job()
    {
        var (a, b) = (await SignUpAsync(), await SignUpAsync());
        var uploads = Enumerable.Range(0, 24).Select(i =>
        {
            var owner = i % 2 == 0 ? a : b;
            return (Owner: owner, Id: UploadAsync(owner, TestFiles.Utf8($"Interleaved upload {i} of {owner.OrganizationId}."), $"interleaved-{i}.txt"));
        }).ToList();
        await Task.WhenAll(uploads.Select(u => u.Id));

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var owner in new[] { a, b })
        {
            var ours = uploads.Where(u => u.Owner == owner).Select(u => u.Id.Result).Order(StringComparer.Ordinal).ToList();
            var documents = await db.Documents.IgnoreQueryFilters().Where(d => d.OrganizationId == owner.OrganizationId).Select(d => d.Id).ToListAsync();
            Assert.Equal(ours, documents.Order(StringComparer.Ordinal));
            var jobs = await db.IngestionJobs.Where(j => ours.Contains(j.DocumentId)).ToListAsync();
            Assert.Equal(12, jobs.Count);
            Assert.All(jobs, j => Assert.Equal(owner.OrganizationId, j.OrganizationId));
        }
    }
}

public sealed class SqliteIngestionQueueTests(SqliteFixture fixture) : IngestionQueueTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresIngestionQueueTests(PostgresFixture fixture) : IngestionQueueTests(fixture), IClassFixture<PostgresFixture>;
