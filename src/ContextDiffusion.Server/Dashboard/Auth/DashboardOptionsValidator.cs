using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>Checks the configured users at start, so a typo in a role or a hash stops the server with its key named instead of locking everyone out.</summary>
public sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            var where = $"{DashboardOptions.Section}:Users:{i}";
            if (string.IsNullOrWhiteSpace(user.Name)) problems.Add($"{where}:Name is empty");
            if (!DashboardPasswords.IsHash(user.Password))
                problems.Add($"{where}:Password must be a salted hash of the password, as `cdiff dashboard hash-password` prints it");
            if (!DashboardRoles.IsKnown(user.Role)) problems.Add($"{where}:Role '{user.Role}' must be {DashboardRoles.Admin} or {DashboardRoles.ReadOnly}");
        }
        if (options.LoginFailuresAllowed < 1) problems.Add($"{DashboardOptions.Section}:LoginFailuresAllowed must be at least 1");
        if (options.LoginLockout <= TimeSpan.Zero) problems.Add($"{DashboardOptions.Section}:LoginLockout must be above zero");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
