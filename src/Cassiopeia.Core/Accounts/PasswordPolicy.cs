using System.Reflection;

namespace Cassiopeia.Core.Accounts;

/// <summary>
/// NIST SP 800-63B style: a minimum length, a generous maximum, and a block-list of passwords
/// known from breaches, instead of composition rules.
/// </summary>
public static class PasswordPolicy
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    private static readonly Lazy<HashSet<string>> Common = new(Load);

    /// <summary>Null when acceptable, otherwise the reason.</summary>
    public static string? Check(string? password, string email)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinLength)
        {
            return $"Use at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Use at most {MaxLength} characters.";
        }

        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return "This password is too common; choose another.";
        }

        if (lower.Distinct().Count() < 4)
        {
            return "This password repeats too few characters.";
        }

        var local = email.Split('@')[0].ToLowerInvariant();
        return local.Length >= 4 && lower.Contains(local, StringComparison.Ordinal)
            ? "The password must not contain your e-mail address."
            : null;
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line);
            }
        }

        return set;
    }
}
