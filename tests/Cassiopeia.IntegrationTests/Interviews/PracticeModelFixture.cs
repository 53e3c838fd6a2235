using Cassiopeia.Core.Answers;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Infrastructure.Ai.Chat;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>
/// The practice engines talking to a real fake provider on loopback through the production chat client
/// (OpenAI SDK behind <c>ResilientChatClient</c>), as the application builds it from <c>Chat</c> settings.
/// </summary>
public sealed class PracticeModelFixture : IAsyncLifetime
{
    public FakeChatServer Server { get; private set; } = null!;

    public ChatModelOptions Options { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await FakeChatServer.StartAsync();
        Options = new ChatModelOptions
        {
            Endpoint = new Uri(Server.Endpoint),
            Model = FakeChatServer.Model,
            ApiKey = "test-chat-key",
            // Generous: no test here waits for a timeout, and a cold first call on a busy machine is slow.
            Timeout = TimeSpan.FromSeconds(20),
            Deadline = TimeSpan.FromSeconds(60),
            MaxRetries = 0,
            BreakerMinimumThroughput = 1000,
        };
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public ModelQuestionGenerator Generator(ChatModelOptions? options = null)
    {
        options ??= Options;
        return new(ChatServices.Create(options, NullLoggerFactory.Instance), Microsoft.Extensions.Options.Options.Create(options), NullLogger<ModelQuestionGenerator>.Instance);
    }

    public ModelAnswerScorer Scorer(ChatModelOptions? options = null)
    {
        options ??= Options;
        return new(ChatServices.Create(options, NullLoggerFactory.Instance), Microsoft.Extensions.Options.Options.Create(options), Offline, NullLogger<ModelAnswerScorer>.Instance);
    }

    public static OfflineAnswerScorer Offline { get; } = new(new LexicalEmbeddingGenerator());

    public static ChatModelOptions Extractive() => new() { Provider = ChatProvider.Extractive };

    public static IOptions<ChatModelOptions> Wrap(ChatModelOptions options) => Microsoft.Extensions.Options.Options.Create(options);
}

/// <summary>A job's requirements and a CV's claims, enough for every category.</summary>
internal static class PracticeMaterials
{
    public static PracticeMaterial Backend() => new(
        [
            new("Strong knowledge of Kubernetes and Helm", RequirementCategory.Skill, Importance.Required, RequirementStatus.Partial, ["Kubernetes", "Helm"],
                [new("doc_cv", "chk_cv_1", "Deployed services to Kubernetes with a shared Helm chart.")], new("doc_jd", "chk_jd_1", "Strong knowledge of Kubernetes and Helm")),
            new("Go or Rust for backend services", RequirementCategory.Skill, Importance.Required, RequirementStatus.Missing, ["Go", "Rust"],
                [], new("doc_jd", "chk_jd_2", "Go or Rust for backend services")),
            new("Lead incident response and write blameless postmortems", RequirementCategory.Responsibility, Importance.Required, RequirementStatus.Met, ["incident response"],
                [new("doc_cv", "chk_cv_2", "Led incident response for the payments platform.")], new("doc_jd", "chk_jd_3", "Lead incident response and write blameless postmortems")),
        ],
        [
            new("Cut p95 latency of the checkout API from 800 ms to 120 ms.", ClaimKind.Achievement, "doc_cv", "chk_cv_3"),
            new("Built an event-driven order pipeline on Kafka.", ClaimKind.Project, "doc_cv", "chk_cv_4"),
        ]);
}
