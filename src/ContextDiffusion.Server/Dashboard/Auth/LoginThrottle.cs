using ContextDiffusion.Server.Auth;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Failed dashboard logins per user name and per client address: past <see cref="DashboardOptions.LoginFailuresAllowed"/>
/// within <see cref="DashboardOptions.LoginLockout"/>, that name (or address) cannot log in until the window is over.
/// </summary>
public sealed class LoginThrottle(IOptions<DashboardOptions> options)
    : FailureThrottle(options.Value.LoginFailuresAllowed, options.Value.LoginLockout)
{
    /// <summary>Cut to the longest name a user can have, so a client cannot make a key of megabytes.</summary>
    public static string ForName(string name) => "name:" + (name.Length <= 256 ? name : name[..256]);

    public static string ForAddress(string? address) => "address:" + (address ?? "unknown");
}
