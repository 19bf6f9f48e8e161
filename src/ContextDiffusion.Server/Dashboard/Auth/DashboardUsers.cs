using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>Checks a name and password against the configured users and makes the principal a session cookie carries.</summary>
public sealed class DashboardUsers(IOptionsMonitor<DashboardOptions> options)
{
    public bool AnyConfigured => options.CurrentValue.Users.Count > 0;

    /// <summary>The user's principal, or null. The hashes are compared in constant time, and every user is compared, so timing tells nothing.</summary>
    public ClaimsPrincipal? SignIn(string name, string password)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        DashboardUser? found = null;
        foreach (var user in options.CurrentValue.Users)
        {
            if (CryptographicOperations.FixedTimeEquals(Convert.FromHexString(user.Password), presented) && user.Name == name) found = user;
        }
        if (found is null) return null;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, found.Name), new Claim(ClaimTypes.Role, found.Role)], DashboardRoles.Scheme);
        return new ClaimsPrincipal(identity);
    }
}
