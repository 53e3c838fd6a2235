using Cassiopeia.Api;
using Cassiopeia.Infrastructure.Persistence;
using Microsoft.Extensions.Options;

// Settings files are found beside the binaries whatever the working directory; relative data paths stay relative to it.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCassiopeiaApi();
var app = builder.Build();

if (await AdminCommands.TryRunAsync(app, args))
{
    return;
}

if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
{
    await DatabaseMigrator.MigrateAsync(app.Services, app.Lifetime.ApplicationStopping);
}

app.UseCassiopeiaApi();
await app.RunAsync();

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
