namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>The two roles: an admin may cancel, promote and trigger; a read-only user sees everything and changes nothing.</summary>
public static class DashboardRoles
{
    public const string Admin = "admin";
    public const string ReadOnly = "readonly";

    /// <summary>The authorization policy of every dashboard page: a logged-in user of either role.</summary>
    public const string ViewPolicy = "dashboard-view";

    /// <summary>The authorization policy of every dashboard action (POST): an admin. A read-only user gets 403.</summary>
    public const string ChangePolicy = "dashboard-change";

    public const string Scheme = "cdiff-dashboard";

    public static bool IsKnown(string role) => role is Admin or ReadOnly;
}
