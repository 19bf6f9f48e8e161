using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>The login page, logging in (a session cookie for the dashboard's path) and logging out.</summary>
public static class LoginEndpoints
{
    public static void Map(RouteGroupBuilder dashboard)
    {
        dashboard.MapGet("/login", (string? returnUrl, HttpContext context, DashboardUsers users) =>
            context.User.Identity?.IsAuthenticated == true
                ? DashboardActions.Back(returnUrl, DashboardPaths.Root)
                : Page(context, users, returnUrl, failure: null)).AllowAnonymous();
        dashboard.MapPost("/login", LoginAsync).AllowAnonymous();
        // As a Delegate: a method taking only HttpContext would bind as a RequestDelegate, whose result is dropped.
        dashboard.MapPost("/logout", (Delegate)LogoutAsync);
    }

    /// <summary>A name or address past its failures is refused without checking the password (429), until its lockout window ends.</summary>
    private static async Task<IResult> LoginAsync([FromForm] string? name, [FromForm] string? password, [FromForm] string? returnUrl,
        HttpContext context, DashboardUsers users, LoginThrottle throttle)
    {
        string[] keys = [LoginThrottle.ForAddress(context.Connection.RemoteIpAddress?.ToString()), LoginThrottle.ForName(name ?? "")];
        if (keys.Any(throttle.IsBlocked))
            return Page(context, users, returnUrl, $"too many failed logins; try again in {throttle.Window.TotalMinutes:0} minutes", StatusCodes.Status429TooManyRequests);
        if (users.SignIn(name ?? "", password ?? "") is not { } principal)
        {
            foreach (var key in keys) throttle.RecordFailure(key);
            return Page(context, users, returnUrl, "wrong name or password", StatusCodes.Status401Unauthorized);
        }
        await context.SignInAsync(DashboardRoles.Scheme, principal);
        return DashboardActions.Back(returnUrl, DashboardPaths.Root);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(DashboardRoles.Scheme);
        return DashboardActions.Back(DashboardPaths.Login, DashboardPaths.Login);
    }

    private static IResult Page(HttpContext context, DashboardUsers users, string? returnUrl, string? failure, int status = StatusCodes.Status200OK)
    {
        var viewer = Viewer.Of(context);
        var notice = users.AnyConfigured ? Html.Empty
            : Html.Raw("""<p class="failure">No dashboard users are configured: set Dashboard__Users__0__Name, __Password (from cdiff dashboard hash-password) and __Role (admin or readonly).</p>""");
        return Layout.Document("Log in", Html.Of($"""
            <form method="post" action="{DashboardPaths.Login}" class="login">
              <h1>cdiff dashboard</h1>
              <p>Log in to see batches, training runs, models and workers.</p>
              {notice}
              {viewer.TokenInput}
              <input type="hidden" name="returnUrl" value="{returnUrl}">
              <label for="name">Name</label><input id="name" name="name" autocomplete="username" required autofocus>
              <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
              {Html.If(failure is not null, Html.Of($"""<p class="failure" role="alert">{failure}</p>"""))}
              <button type="submit" class="button primary">Log in</button>
            </form>
            """), status);
    }
}
