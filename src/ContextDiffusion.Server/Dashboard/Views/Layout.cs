using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>The page shell every dashboard page shares: navigation, the user and logout, the local stylesheet and script.</summary>
public static class Layout
{
    private static readonly (string Path, string Label)[] Sections =
    [
        (DashboardPaths.Root, "Overview"),
        (DashboardPaths.Batches, "Batches"),
        (DashboardPaths.Training, "Training"),
        (DashboardPaths.Models, "Models"),
        (DashboardPaths.Workers, "Workers"),
        (DashboardPaths.Schedules, "Schedules"),
        (DashboardPaths.Datasets, "Datasets"),
        (DashboardPaths.Evaluations, "Evaluations"),
    ];

    public static IResult Page(Viewer viewer, string title, Html body, int status = StatusCodes.Status200OK)
    {
        var nav = Sections.Select(s => Html.Of($"""<a href="{s.Path}" class="{(IsCurrent(viewer.Path, s.Path) ? "current" : "")}">{s.Label}</a>"""));
        var role = viewer.CanChange ? "admin" : "read-only";
        return Document(title, Html.Of($"""
            <header class="top">
              <a class="brand" href="{DashboardPaths.Root}">cdiff</a>
              <nav>{nav}</nav>
              <span class="live" id="live-status" title="pages refresh every 2 s while work runs">live</span>
              <span class="user">{viewer.Name} <span class="role">{role}</span></span>
              <form method="post" action="{DashboardPaths.Logout}" class="inline">{viewer.TokenInput}<button type="submit" class="button plain">Log out</button></form>
            </header>
            <main>
            <h1>{title}</h1>
            {body}
            </main>
            """), status);
    }

    /// <summary>A whole HTML document: also the login page's, which has no navigation.</summary>
    public static IResult Document(string title, Html content, int status = StatusCodes.Status200OK)
    {
        var html = Html.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · cdiff dashboard</title>
            <link rel="stylesheet" href="{DashboardPaths.Asset("dashboard.css")}">
            <script src="{DashboardPaths.Asset("dashboard.js")}" defer></script>
            </head>
            <body>
            {content}
            </body>
            </html>
            """);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>The overview is current only on its own path; a section also on its sub-pages (a batch's page is under Batches).</summary>
    private static bool IsCurrent(string path, string section) =>
        section == DashboardPaths.Root ? path.TrimEnd('/') == section : path.StartsWith(section, StringComparison.Ordinal);
}
