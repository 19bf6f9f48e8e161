using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>Training runs, newest first: state, steps, loss, speed, time left, worker, cancel.</summary>
public static class TrainingRunsPage
{
    public const int Limit = 100;

    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/training", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var runs = await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(Limit).ToListAsync(cancellation);
        var body = Html.Of($"""<section class="panel" id="runs" data-live>{Table(runs, viewer)}</section>""");
        return Layout.Page(viewer, "Training runs", body);
    }

    private static Html Table(IReadOnlyList<TrainingRunRecord> runs, Viewer viewer)
    {
        if (runs.Count == 0) return Html.Raw("""<p class="empty">no training runs yet: start one with <code>cdiff train-remote</code></p>""");
        var rows = runs.Select(r => Html.Of($"""
            <tr data-run="{r.Id}">
              <td><a href="{DashboardPaths.Run(r.Id)}" class="mono">{Format.ShortId(r.Id)}</a></td>
              <td>{r.ModelName}</td>
              <td>{Badge.Of(r.State)}{Html.If(r.CancelRequested && r.State == RunState.Running, Html.Raw(""" <span class="muted">stopping</span>"""))}</td>
              <td>{RunViews.Progress(r)}</td>
              <td class="num">{Format.Number(r.Loss, "0.0000")}</td>
              <td class="num">{Format.Number(r.StepsPerSecond, "0.00")}</td>
              <td class="num">{RunViews.Eta(r)}</td>
              <td class="mono">{r.LeaseOwner}</td>
              <td>{Format.Time(r.CreatedAt)}</td>
              <td>{Html.If(RunViews.CanCancel(r), viewer.ActionButton(DashboardPaths.CancelRun(r.Id), "Cancel", "Cancel this training run? A running run stops at its next step."))}</td>
            </tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th>run</th><th>model</th><th>state</th><th>progress</th><th class="num">loss</th><th class="num">steps/s</th><th class="num">time left</th><th>worker</th><th>created</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }
}
