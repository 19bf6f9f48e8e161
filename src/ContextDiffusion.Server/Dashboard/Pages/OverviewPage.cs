using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Server.Dashboard.Charts;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>
/// The first page: is work flowing? Queue depths and consumers from RabbitMQ, items per minute over the
/// last hour, the workers and their heartbeats, and what failed recently.
/// </summary>
public static class OverviewPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, QueueMonitor queues, CancellationToken cancellation)
    {
        var now = DateTimeOffset.UtcNow;
        var reading = queues.ReadAsync(cancellation);
        var itemStates = await db.Items.Where(i => i.State == ItemState.Pending || i.State == ItemState.Running)
            .GroupBy(i => i.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellation);
        var activeBatches = await db.Batches.CountAsync(b => b.State == BatchState.Active, cancellation);
        var runningRuns = await db.TrainingRuns.CountAsync(r => r.State == RunState.Running, cancellation);
        var throughput = await Throughput.ReadAsync(db, now, cancellation);
        var workers = await db.Workers.AsNoTracking().OrderByDescending(w => w.LastSeenAt).Take(10).ToListAsync(cancellation);
        var failedItems = await db.Items.AsNoTracking().Where(i => i.State == ItemState.Failed)
            .OrderByDescending(i => i.CompletedAt).Take(10).ToListAsync(cancellation);
        var failedRuns = await db.TrainingRuns.AsNoTracking().Where(r => r.State == RunState.Failed)
            .OrderByDescending(r => r.CompletedAt).Take(5).ToListAsync(cancellation);

        var queueReport = await reading;
        Html Card(string label, object value, string? link = null) => link is null
            ? Html.Of($"""<div class="card"><div class="value">{value}</div><div class="label">{label}</div></div>""")
            : Html.Of($"""<a class="card" href="{link}"><div class="value">{value}</div><div class="label">{label}</div></a>""");
        var liveWorkers = workers.Count(w => WorkerViews.IsAlive(w, now));
        var cards = Html.Of($"""
            <div class="cards" id="overview-cards" data-live>
            {Card("active batches", activeBatches, DashboardPaths.Batches + "?state=active")}
            {Card("items pending", itemStates.GetValueOrDefault(ItemState.Pending))}
            {Card("items running", itemStates.GetValueOrDefault(ItemState.Running))}
            {Card("succeeded, last hour", throughput.Sum(m => m.Succeeded))}
            {Card("failed, last hour", throughput.Sum(m => m.Failed))}
            {Card("training runs running", runningRuns, DashboardPaths.Training)}
            {Card("workers alive", $"{liveWorkers} / {workers.Count}", DashboardPaths.Workers)}
            </div>
            """);
        var body = Html.Of($"""
            {cards}
            <div class="grid">
              <section class="panel" id="overview-throughput" data-live><h2>Throughput: items per minute, last hour</h2>{ThroughputChart(throughput)}</section>
              <section class="panel" id="overview-queues" data-live><h2>Queues</h2>{QueueTable(queueReport)}</section>
            </div>
            <section class="panel" id="overview-workers" data-live><h2>Workers</h2>{WorkerViews.Table(workers, now)}</section>
            <div class="grid">
              <section class="panel" id="overview-failed-items" data-live><h2>Recent failed items</h2>{FailedItems(failedItems)}</section>
              <section class="panel" id="overview-failed-runs" data-live><h2>Recent failed training runs</h2>{FailedRuns(failedRuns)}</section>
            </div>
            """);
        return Layout.Page(Viewer.Of(context), "Overview", body);
    }

    private static Html ThroughputChart(IReadOnlyList<MinuteCount> minutes) => BarChart.Draw(
        "items succeeded and failed per minute",
        minutes.Select(m => new Bar($"{m.Minute.UtcDateTime:HH:mm}", [m.Succeeded, m.Failed])).ToList(),
        [("ok", "succeeded"), ("failed", "failed")], labelEvery: 10);

    private static Html QueueTable(QueueReport report)
    {
        var problem = Html.If(report.Problem is not null, Html.Of($"""<p class="notice">{report.Problem}</p>"""));
        if (report.Queues.Count == 0) return Html.Of($"""{problem}<p class="empty">no queues in this virtual host yet</p>""");
        var rows = report.Queues.Select(q => Html.Of($"""
            <tr><td class="mono">{q.Name}</td><td class="num">{q.Ready}</td><td class="num">{q.Unacknowledged}</td><td class="num">{q.Consumers}</td></tr>
            """));
        return Html.Of($"""
            {problem}
            <table><thead><tr><th>queue</th><th class="num">ready</th><th class="num">unacked</th><th class="num">consumers</th></tr></thead><tbody>{rows}</tbody></table>
            """);
    }

    private static Html FailedItems(IReadOnlyList<ItemRecord> items)
    {
        if (items.Count == 0) return Html.Raw("""<p class="empty">none</p>""");
        var rows = items.Select(i => Html.Of($"""
            <tr><td><a href="{DashboardPaths.Item(i.BatchId, i.Id)}">#{i.Index}</a> of <a href="{DashboardPaths.Batch(i.BatchId)}" class="mono">{Format.ShortId(i.BatchId)}</a></td><td class="error">{i.Error}</td><td>{Format.Time(i.CompletedAt)}</td></tr>
            """));
        return Html.Of($"""<table><thead><tr><th>item</th><th>error</th><th>failed at</th></tr></thead><tbody>{rows}</tbody></table>""");
    }

    private static Html FailedRuns(IReadOnlyList<TrainingRunRecord> runs)
    {
        if (runs.Count == 0) return Html.Raw("""<p class="empty">none</p>""");
        var rows = runs.Select(r => Html.Of($"""
            <tr><td><a href="{DashboardPaths.Run(r.Id)}" class="mono">{Format.ShortId(r.Id)}</a> {r.ModelName}</td><td class="error">{r.Error}</td><td>{Format.Time(r.CompletedAt)}</td></tr>
            """));
        return Html.Of($"""<table><thead><tr><th>run</th><th>error</th><th>failed at</th></tr></thead><tbody>{rows}</tbody></table>""");
    }
}
