using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>One batch: its facts and counts, and its items with thumbnails of query, context and output, filterable by state.</summary>
public static class BatchPage
{
    public const int ItemsPerPage = 50;

    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/batches/{id:guid}", RenderAsync);

    private static async Task<IResult> RenderAsync(Guid id, string? state, int? after, HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var batch = await db.Batches.AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellation);
        if (batch is null) return NotFoundPage.Render(viewer, $"no batch with id {id}");
        var counts = await BatchCounts.ReadAsync(db, id, cancellation);
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == batch.ModelVersionId, cancellation);

        var items = db.Items.AsNoTracking().Where(i => i.BatchId == id);
        var wanted = Enum.TryParse<ItemState>(state, ignoreCase: true, out var parsed) ? parsed : (ItemState?)null;
        if (wanted is { } only) items = items.Where(i => i.State == only);
        var start = after ?? -1;
        var page = await items.Where(i => i.Index > start).OrderBy(i => i.Index).Take(ItemsPerPage + 1).ToListAsync(cancellation);

        var facts = Html.Of($"""
            <dl class="facts">
              <dt>id</dt><dd class="mono">{batch.Id}</dd>
              <dt>state</dt><dd>{Badge.Of(batch.State)} {Html.If(batch.State == BatchState.Active, viewer.ActionButton(DashboardPaths.CancelBatch(batch.Id), "Cancel batch", "Cancel this batch? Its pending and running items stop."))}</dd>
              <dt>progress</dt><dd>{ProgressBar.Of(counts)}</dd>
              <dt>items</dt><dd>{counts.Pending} pending · {counts.Running} running · {counts.Succeeded} succeeded · {counts.Failed} failed · {counts.Canceled} canceled</dd>
              <dt>model</dt><dd class="mono">{(version is null ? batch.ModelVersionId.ToString() : VersionLabels.Of(version))}</dd>
              <dt>priority</dt><dd>{batch.Priority}</dd>
              <dt>submitted by</dt><dd>{batch.SubmittedBy ?? "-"}</dd>
              <dt>created</dt><dd>{Format.Time(batch.CreatedAt)}</dd>
              <dt>completed</dt><dd>{Format.Time(batch.CompletedAt)}</dd>
            </dl>
            """);
        var body = Html.Of($"""
            <section class="panel" id="batch-facts" data-live>{facts}</section>
            <section class="panel">
              <h2>Items</h2>
              {StateTabs(batch.Id, wanted)}
              <div id="batch-items" data-live>{ItemTable(batch.Id, page.Take(ItemsPerPage).ToList())}{Pager(batch.Id, state, after, page)}</div>
            </section>
            """);
        return Layout.Page(viewer, batch.Name ?? $"Batch {Format.ShortId(batch.Id)}", body);
    }

    private static Html StateTabs(Guid batchId, ItemState? current)
    {
        var tabs = new[] { (string?)null }.Concat(Enum.GetNames<ItemState>().Select(n => n.ToLowerInvariant())).Select(s =>
        {
            var selected = string.Equals(s, current?.ToString(), StringComparison.OrdinalIgnoreCase);
            return Html.Of($"""<a href="{DashboardPaths.Batch(batchId)}{HttpQuery.Build(("state", s))}" class="{(selected ? "current" : "")}">{s ?? "all"}</a>""");
        });
        return Html.Of($"""<nav class="tabs">{tabs}</nav>""");
    }

    private static Html ItemTable(Guid batchId, IReadOnlyList<ItemRecord> items)
    {
        if (items.Count == 0) return Html.Raw("""<p class="empty">no items here</p>""");
        var rows = items.Select(i =>
        {
            var contexts = ItemViews.Contexts(i).Select((c, n) => ItemViews.Thumbnail(c.Image, $"context {n + 1}"));
            var output = ItemViews.Output(i) is { } o ? ItemViews.Thumbnail(o, "output") : ItemViews.Missing(i.State.ToString().ToLowerInvariant());
            return Html.Of($"""
                <tr data-item="{i.Id}">
                  <td class="num"><a href="{DashboardPaths.Item(batchId, i.Id)}">#{i.Index}</a></td>
                  <td>{i.ExternalId}</td>
                  <td>{Badge.Of(i.State)}</td>
                  <td><div class="thumbs">{ItemViews.Thumbnail(ItemViews.Query(i), "query")}</div></td>
                  <td><div class="thumbs">{contexts}</div></td>
                  <td><div class="thumbs">{output}</div></td>
                  <td class="num">{i.Attempts}</td>
                  <td class="mono">{i.Worker}</td>
                  <td class="num">{Format.Number(i.GenerationSeconds, "0.00")} s</td>
                  <td class="error">{i.Error}</td>
                </tr>
                """);
        });
        return Html.Of($"""
            <table><thead><tr><th class="num">#</th><th>external id</th><th>state</th><th>query</th><th>context</th><th>output</th><th class="num">attempts</th><th>worker</th><th class="num">time</th><th>error</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    /// <summary>Pages by item index, like the API: the next page starts after the last index shown.</summary>
    private static Html Pager(Guid batchId, string? state, int? after, IReadOnlyList<ItemRecord> page) => Html.Of($"""
        <div class="pager">
        {Html.If(after is not null, Html.Of($"""<a href="{DashboardPaths.Batch(batchId)}{HttpQuery.Build(("state", state))}">first</a>"""))}
        {Html.If(page.Count > ItemsPerPage, Html.Of($"""<a href="{DashboardPaths.Batch(batchId)}{HttpQuery.Build(("state", state), ("after", page.Count > ItemsPerPage ? page[ItemsPerPage - 1].Index.ToString() : null))}">next {ItemsPerPage}</a>"""))}
        </div>
        """);
}
