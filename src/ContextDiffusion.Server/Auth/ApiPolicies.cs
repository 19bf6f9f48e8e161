using ContextDiffusion.Pipeline.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// The authorization policies of /v1, one per <see cref="ApiRole"/>: every endpoint needs <see cref="Read"/>,
/// changes need <see cref="Write"/>, what spans owners (schedules, workers, promotions) needs <see cref="Admin"/>.
/// Endpoint authorization runs before the endpoint binds its body, so a refused request is not read.
/// </summary>
public static class ApiPolicies
{
    public const string Read = "api-reader";
    public const string Write = "api-writer";
    public const string Admin = "api-admin";

    public static IServiceCollection AddApiKeyAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<FailedKeyThrottle>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(Read, policy => Require(policy, ApiRole.Reader, ApiRole.Writer, ApiRole.Admin))
            .AddPolicy(Write, policy => Require(policy, ApiRole.Writer, ApiRole.Admin))
            .AddPolicy(Admin, policy => Require(policy, ApiRole.Admin));
        return services;
    }

    /// <summary>The role a policy name stands for, for the 403's message.</summary>
    public static string? RoleOf(string policy) => policy switch
    {
        Read => "reader",
        Write => "writer",
        Admin => "admin",
        _ => null,
    };

    private static void Require(AuthorizationPolicyBuilder policy, params ApiRole[] roles) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName).RequireRole(roles.Select(r => r.ToString()));
}
