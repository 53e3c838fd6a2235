namespace Cassiopeia.Core.Accounts;

/// <summary>Organization roles, ordered: each role can do everything the roles below it can.</summary>
public enum Role
{
    Viewer = 0,
    Member = 1,
    Admin = 2,
    Owner = 3,
}

public static class Roles
{
    public static string ToApi(this Role role) => role switch
    {
        Role.Viewer => "viewer",
        Role.Member => "member",
        Role.Admin => "admin",
        Role.Owner => "owner",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public static bool TryParse(string? value, out Role role)
    {
        switch (value)
        {
            case "viewer": role = Role.Viewer; return true;
            case "member": role = Role.Member; return true;
            case "admin": role = Role.Admin; return true;
            case "owner": role = Role.Owner; return true;
            default: role = default; return false;
        }
    }
}
