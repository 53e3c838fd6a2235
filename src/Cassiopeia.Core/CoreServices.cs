using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Answers;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Core.Organizations;
using Cassiopeia.Core.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core;

public static class CoreServices
{
    /// <summary>Registers the application's use cases and the per-request caller and tenant.</summary>
    public static IServiceCollection AddCassiopeiaCore(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<AuthOptions>>().Value.PasswordIterations));
        services.AddMemoryCache();
        services.AddSingleton<AccessCache>();
        services.AddScoped<TenantContext>();
        services.AddScoped<Caller>();
        services.AddScoped<AuditLog>();
        services.AddScoped<TokenService>();
        services.AddScoped<SignUp>();
        services.AddScoped<LogIn>();
        services.AddScoped<RefreshSession>();
        services.AddScoped<LogOut>();
        services.AddScoped<GetMe>();
        services.AddScoped<ApiKeyAuthenticator>();
        services.AddScoped<CreateApiKey>();
        services.AddScoped<ListApiKeys>();
        services.AddScoped<RevokeApiKey>();
        services.AddScoped<ListMembers>();
        services.AddScoped<AddMember>();
        services.AddScoped<ChangeMemberRole>();
        services.AddScoped<ListAuditEvents>();
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<UploadDocument>();
        services.AddSingleton<DocumentInserts>();
        services.AddScoped<DocumentQueries>();
        services.AddScoped<DirectUpload>();
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IDocumentEventChannel>(new InProcessDocumentEventChannel(onlyProcess: false));
        services.AddSingleton<DocumentEvents>();
        services.AddSingleton<IngestionTelemetry>();
        services.AddScoped<IngestionQueue>();
        services.AddScoped<IngestDocument>();
        services.AddScoped<RetryDocument>();
        services.AddScoped<ReembedDocuments>();
        services.AddScoped<Search.SearchChunks>();
        services.AddScoped<AskQuestion>();
        services.AddSingleton<OfflineAnswerScorer>();
        services.AddSingleton<ModelQuestionGenerator>();
        services.AddSingleton<ModelAnswerScorer>();
        services.AddScoped<Interviews.Prompts.PromptVersions>();
        services.AddScoped<Interviews.Prompts.AddPromptVersion>();
        services.AddScoped<Interviews.Requirements.ExtractRequirements>();
        services.AddScoped<Interviews.Matching.CreateMatch>();
        services.AddScoped<Interviews.Matching.GetMatch>();
        services.AddScoped<Interviews.Feedback.IFeedbackTarget>(sp => sp.GetRequiredService<Interviews.Matching.GetMatch>());
        services.AddScoped<Interviews.Sessions.CreateInterview>();
        services.AddScoped<Interviews.Sessions.GetInterview>();
        services.AddScoped<Interviews.Sessions.ListInterviews>();
        services.AddScoped<Interviews.Sessions.AnswerQuestion>();
        services.AddScoped<Interviews.Feedback.IFeedbackTarget>(sp => sp.GetRequiredService<Interviews.Sessions.GetInterview>());
        services.AddScoped<Interviews.Feedback.IFeedbackTarget, Interviews.Sessions.QuestionFeedbackTarget>();
        services.AddScoped<Interviews.Feedback.IFeedbackTarget, Interviews.Sessions.AnswerFeedbackTarget>();
        services.AddScoped<Interviews.Feedback.GiveFeedback>();
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MeteredUsageRecorder>();
        services.TryAddScoped<IUsageRecorder, PersistentUsageRecorder>();
        services.AddSingleton<UsageEventWriter>();
        services.AddScoped<Quotas>();
        services.AddScoped<UsageMeter>();
        services.AddScoped<GetUsage>();
        services.AddOptions<Billing.PlanOptions>().BindConfiguration(Billing.PlanOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Plans.ContainsKey(o.DefaultPlanId) && o.Plans.ContainsKey(o.TrialPlanId), "Billing:DefaultPlanId and Billing:TrialPlanId must name configured plans.")
            .ValidateOnStart();
        services.AddSingleton<Billing.SubscriptionPlans>();
        services.TryAddSingleton<Billing.IOrganizationPlans>(sp => sp.GetRequiredService<Billing.SubscriptionPlans>());
        services.AddScoped<Billing.ApplySubscriptionChange>();
        services.AddScoped<Billing.ListPlans>();
        services.AddScoped<Billing.GetSubscription>();
        services.AddScoped<Billing.StartCheckout>();
        services.AddScoped<Billing.OpenPortal>();
        services.AddScoped<IDocumentErasure, ChunkErasure>();
        return services;
    }
}
