using Cassiopeia.Api;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Security;
using Microsoft.Extensions.Options;

// Settings files are found beside the binaries whatever the working directory; relative data paths stay relative to it.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddCassiopeiaApi();
var app = builder.Build();

// Commands: `migrate` applies migrations and exits; `rotate-signing-key` adds a new newest JWT key.
switch (args.FirstOrDefault())
{
    case "migrate":
        await DatabaseMigrator.MigrateAsync(app.Services, CancellationToken.None);
        return;
    case "rotate-signing-key":
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var file = auth.SigningKeysFile ?? app.Services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.Resolve("keys", "jwt-signing-keys.json");
        Console.WriteLine($"New signing key {SigningKeyStore.Rotate(file)} in {file}; restart the service to sign with it.");
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
