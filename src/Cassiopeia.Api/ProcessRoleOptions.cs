namespace Cassiopeia.Api;

/// <summary>What this process does: serve the API, run ingestion jobs, or both (the embedded profile).</summary>
public enum ProcessRole
{
    All,
    Api,
    Worker,
}

/// <summary>
/// Section <c>Cassiopeia</c>, key <c>Role</c> (also <c>--role api|worker|all</c> on the command line).
/// Several API and worker processes may share one database: workers claim jobs under leases.
/// </summary>
public sealed class ProcessRoleOptions
{
    public const string SectionName = "Cassiopeia";

    public ProcessRole Role { get; set; } = ProcessRole.All;

    public bool ServesApi => Role is ProcessRole.All or ProcessRole.Api;

    public bool RunsWorkers => Role is ProcessRole.All or ProcessRole.Worker;

    public static ProcessRoleOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<ProcessRoleOptions>() ?? new ProcessRoleOptions();
        var flag = configuration["role"];
        if (!string.IsNullOrEmpty(flag))
        {
            options.Role = Enum.TryParse<ProcessRole>(flag, ignoreCase: true, out var role) && Enum.IsDefined(role)
                ? role
                : throw new InvalidOperationException($"--role must be api, worker or all, not '{flag}'.");
        }

        return options;
    }
}
