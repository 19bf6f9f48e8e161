using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Checks a name and password against the configured users and makes the principal a session cookie carries; and
/// checks on every request that the session's user still exists with the same role and password, so removing a
/// user or changing a password ends that user's sessions at once rather than when the cookie expires.
/// </summary>
public sealed class DashboardUsers(IOptionsMonitor<DashboardOptions> options)
{
    /// <summary>A digest of the user's stored hash, carried in the cookie: a changed password no longer matches.</summary>
    private const string StampClaim = "cdiff:stamp";

    public bool AnyConfigured => options.CurrentValue.Users.Count > 0;

    /// <summary>The user's principal, or null. An unknown name costs the same hashing as a wrong password.</summary>
    public ClaimsPrincipal? SignIn(string name, string password)
    {
        var user = Find(name);
        if (!DashboardPasswords.Verify(user?.Password, password)) return null;
        Claim[] claims = [new(ClaimTypes.Name, user!.Name), new(ClaimTypes.Role, user.Role), new(StampClaim, Stamp(user))];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, DashboardRoles.Scheme));
    }

    /// <summary>Whether a session's principal still matches a configured user (name, role and password unchanged).</summary>
    public bool IsCurrent(ClaimsPrincipal principal) =>
        principal.Identity?.Name is { } name && Find(name) is { } user
        && principal.IsInRole(user.Role) && principal.FindFirstValue(StampClaim) == Stamp(user);

    private DashboardUser? Find(string name) => options.CurrentValue.Users.FirstOrDefault(u => u.Name == name);

    private static string Stamp(DashboardUser user) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(user.Password)))[..16];
}
