namespace Cassiopeia.Infrastructure.Security;

/// <summary>Creates folders for secrets: every folder it has to create is readable by the service's user only.</summary>
public static class OwnerOnlyDirectory
{
    public static DirectoryInfo Create(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return new DirectoryInfo(full);
        }

        var parent = Path.GetDirectoryName(full);
        if (parent is not null)
        {
            Create(parent);
        }

        return OperatingSystem.IsWindows()
            ? Directory.CreateDirectory(full)
            : Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
