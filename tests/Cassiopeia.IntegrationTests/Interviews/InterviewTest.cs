using System.Net;
using System.Text.Json;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>Practice interviews through the API: creating them, answering their questions, reading them back.</summary>
public abstract class InterviewTest(ApiFixture fixture) : MatchTest(fixture)
{
    protected async Task<(string Cv, string Jd)> PairAsync(Session owner, string? jd = null)
    {
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.PartialCv + "\n<!-- " + Guid.NewGuid() + " -->"), "cv.md", "cv");
        var jdId = await ReadyAsync(owner, TestFiles.Utf8(jd ?? LabelledSet.Jd), "jd.md", "jd");
        return (cv, jdId);
    }

    protected async Task<JsonElement> InterviewAsync(Session session, object body)
    {
        var response = await SendAsync(session, HttpMethod.Post, "/v1/interviews", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    protected Task<HttpResponseMessage> AnswerAsync(Session session, string interviewId, string questionId, object body, string? organizationId = null) =>
        SendAsync(session, HttpMethod.Post, $"/v1/interviews/{interviewId}/questions/{questionId}/answers", body, organizationId);

    protected async Task<JsonElement> AnsweredAsync(Session session, string interviewId, string questionId, string text)
    {
        var response = await AnswerAsync(session, interviewId, questionId, new { text });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    protected async Task<JsonElement> ReadInterviewAsync(Session session, string id)
    {
        var response = await SendAsync(session, HttpMethod.Get, $"/v1/interviews/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    protected static List<JsonElement> Questions(JsonElement interview) => interview.GetProperty("questions").EnumerateArray().Select(q => q.Clone()).ToList();

    protected static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    protected async Task<(int Interviews, int Questions, int Answers)> CountAsync(string organizationId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return (
            await db.InterviewSessions.IgnoreQueryFilters().CountAsync(i => i.OrganizationId == organizationId),
            await db.InterviewQuestions.IgnoreQueryFilters().CountAsync(q => q.OrganizationId == organizationId),
            await db.InterviewAnswers.IgnoreQueryFilters().CountAsync(a => a.OrganizationId == organizationId));
    }
}
