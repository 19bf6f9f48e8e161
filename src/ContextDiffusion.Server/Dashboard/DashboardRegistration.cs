using ContextDiffusion.Server.Dashboard.Auth;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Pages;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Dashboard;

/// <summary>
/// The web dashboard under /dashboard: cookie login for the users in configuration, pages rendered on the
/// server, assets from this assembly. Its authentication scheme is its own, so the API under /v1 keeps its
/// API keys and never sees a cookie challenge.
/// </summary>
public static class DashboardRegistration
{
    public static IServiceCollection AddDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>();
        services.AddSingleton<DashboardUsers>();
        services.AddSingleton<LoginThrottle>();
        // Sessions and antiforgery tokens are signed with keys every server shares and a restart keeps.
        services.AddDataProtection().SetApplicationName("cdiff-dashboard");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceScopeFactory>((keys, scopes) => keys.XmlRepository = new PostgresKeyRepository(scopes));
        services.AddSingleton<Thumbnails>();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Path = DashboardPaths.Root;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication(DashboardRoles.Scheme).AddCookie(DashboardRoles.Scheme, cookie =>
        {
            cookie.LoginPath = DashboardPaths.Login;
            cookie.LogoutPath = DashboardPaths.Logout;
            cookie.ReturnUrlParameter = "returnUrl";
            cookie.Cookie.Name = "cdiff-dashboard";
            cookie.Cookie.Path = DashboardPaths.Root;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over HTTPS, a TLS proxy's X-Forwarded-Proto included (ServerHost honours it).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
            // A logged-in user without the right role gets 403, not a redirect to an access-denied page that does not exist.
            // A session ends as soon as its user is removed, demoted or given a new password.
            cookie.Events.OnValidatePrincipal = async context =>
            {
                if (context.Principal is { } principal && context.HttpContext.RequestServices.GetRequiredService<DashboardUsers>().IsCurrent(principal)) return;
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(DashboardRoles.Scheme);
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(DashboardRoles.Scheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) => cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime);
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardRoles.ViewPolicy, policy => policy.AddAuthenticationSchemes(DashboardRoles.Scheme).RequireAuthenticatedUser())
            .AddPolicy(DashboardRoles.ChangePolicy, policy => policy.AddAuthenticationSchemes(DashboardRoles.Scheme).RequireRole(DashboardRoles.Admin));
        return services;
    }

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        var dashboard = app.MapGroup(DashboardPaths.Root).RequireAuthorization(DashboardRoles.ViewPolicy)
            .AddEndpointFilter<AntiforgeryCheck>().ExcludeFromDescription();
        dashboard.MapGet("/assets/{name}", DashboardAssets.Serve).AllowAnonymous();
        dashboard.MapGet("/thumbnails/{bucket}/{**key}", (string bucket, string key, int? size, HttpContext context, Thumbnails thumbnails, CancellationToken cancellation) =>
            thumbnails.ServeAsync(bucket, key, size, context, cancellation));
        LoginEndpoints.Map(dashboard);
        OverviewPage.Map(dashboard);
        BatchesPage.Map(dashboard);
        BatchPage.Map(dashboard);
        ItemPage.Map(dashboard);
        TrainingRunsPage.Map(dashboard);
        TrainingRunPage.Map(dashboard);
        ModelsPage.Map(dashboard);
        WorkersPage.Map(dashboard);
        SchedulesPage.Map(dashboard);
        SchedulePage.Map(dashboard);
        DatasetsPage.Map(dashboard);
        EvaluationsPage.Map(dashboard);
        DashboardActions.Map(dashboard);
    }
}
