using System.Security.Cryptography;
using System.Text.Json;
using Cassiopeia.Core.Accounts;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Infrastructure.Security;

/// <summary>
/// Loads the access-token signing keys: one key from configuration (an environment variable or a
/// mounted secret), else a JSON key ring file that is created on first start, readable by the
/// service's user only. <see cref="Rotate"/> appends a new key; older keys keep verifying.
/// </summary>
public static class SigningKeyStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static SigningKeyRing Load(AuthOptions options, string defaultFile)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var bytes = Convert.FromBase64String(options.SigningKey);
            return new SigningKeyRing([new SymmetricSecurityKey(bytes) { KeyId = options.SigningKeyId }]);
        }

        var file = options.SigningKeysFile ?? defaultFile;
        if (!File.Exists(file))
        {
            Rotate(file);
        }

        var entries = JsonSerializer.Deserialize<List<KeyEntry>>(File.ReadAllText(file), Json)
            ?? throw new InvalidOperationException($"The signing key file {file} is empty.");
        return new SigningKeyRing(entries.Select(e => new SymmetricSecurityKey(Convert.FromBase64String(e.Key)) { KeyId = e.Kid }).ToList());
    }

    /// <summary>Adds a new newest key to the ring file (creating it), and returns its key id.</summary>
    public static string Rotate(string file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
        if (!Directory.Exists(folder))
        {
            // A folder we create holds only keys: owner-only. An existing one is the operator's to set.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var entries = File.Exists(file) ? JsonSerializer.Deserialize<List<KeyEntry>>(File.ReadAllText(file), Json) ?? [] : [];
        var kid = $"k{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        entries.Add(new KeyEntry(kid, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow));

        // Write beside, restrict, then rename: the ring is never seen half-written or world-readable.
        var temporary = file + ".tmp";
        File.Delete(temporary);
        var streamOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, streamOptions))
        {
            JsonSerializer.Serialize(stream, entries, Json);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, file, overwrite: true);
        return kid;
    }

    private sealed record KeyEntry(string Kid, string Key, DateTime CreatedAt);
}
