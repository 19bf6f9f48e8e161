namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Configuration section "Dashboard": who may log in. Users live in configuration (Dashboard__Users__0__Name,
/// ...__Password, ...__Role), not in the database, so the dashboard needs no user administration of its own
/// and a deployment's secret store is the one place that holds them.
/// </summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    public List<DashboardUser> Users { get; set; } = [];

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed logins a user name (or a client address) may have within <see cref="LoginLockout"/> before it is locked out for the rest of it.</summary>
    public int LoginFailuresAllowed { get; set; } = 5;

    public TimeSpan LoginLockout { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// A dashboard user: <see cref="Password"/> is a salted PBKDF2 hash of the password (<see cref="DashboardPasswords"/>),
/// so configuration never holds the password itself.
/// </summary>
public sealed class DashboardUser
{
    public string Name { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary><see cref="DashboardRoles.Admin"/> or <see cref="DashboardRoles.ReadOnly"/>.</summary>
    public string Role { get; set; } = DashboardRoles.ReadOnly;
}
