using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Scheduler.Schedules;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>Every schedule: what it runs, its cron and next firings, its latest run, and trigger now / pause / resume.</summary>
public static class SchedulesPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/schedules", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, ScheduleService schedules, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var list = await schedules.ListAsync(cancellation);
        var body = Html.Of($"""<section class="panel" id="schedules" data-live>{Table(list, viewer)}</section>""");
        return Layout.Page(viewer, "Schedules", body);
    }

    private static Html Table(IReadOnlyList<ScheduleView> schedules, Viewer viewer)
    {
        if (schedules.Count == 0) return Html.Raw("""<p class="empty">no schedules yet: create one with POST /v1/schedules</p>""");
        var rows = schedules.Select(s => Html.Of($"""
            <tr data-schedule="{s.Name}">
              <td><a href="{DashboardPaths.Schedule(s.Name)}">{s.Name}</a><div class="muted">{s.Description}</div></td>
              <td>{s.Kind}</td>
              <td class="mono">{s.Cron}</td>
              <td>{ScheduleParts.State(s)}</td>
              <td>{Html.Join(s.NextFireTimes.Take(2).Select(t => Html.Of($"<div>{Format.Time(t)}</div>")))}</td>
              <td>{ScheduleParts.LastRun(s.LastRun)}</td>
              <td>{ScheduleParts.Actions(s, viewer)}</td>
            </tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th>schedule</th><th>kind</th><th>cron (UTC)</th><th>state</th><th>next runs</th><th>last run</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }
}
