namespace Cassiopeia.UnitTests;

/// <summary>A fact about Unix file permissions; skipped on Windows, where they do not exist.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file permissions only.";
        }
    }
}
