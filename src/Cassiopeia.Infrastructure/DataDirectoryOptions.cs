namespace Cassiopeia.Infrastructure;

/// <summary>Where the embedded profile keeps its files. Section <c>Cassiopeia</c>.</summary>
public sealed class DataDirectoryOptions
{
    public const string SectionName = "Cassiopeia";

    /// <summary>Data directory (database, keys, files). Relative paths start at the working directory. Env: <c>Cassiopeia__DataDirectory</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    public string Resolve(params string[] parts) => Path.GetFullPath(Path.Combine([DataDirectory, .. parts]));
}
