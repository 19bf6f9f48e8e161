using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Server.Dashboard.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>Batches, newest first: search by name or id, filter by state, creation date and model; progress and cancel per row.</summary>
public static class BatchesPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/batches", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var filter = BatchFilter.Parse(new HttpQuery(context.Request.Query));
        var query = filter.Apply(db);
        var total = await query.CountAsync(cancellation);
        var batches = await query.OrderByDescending(b => b.CreatedAt)
            .Skip((filter.Page - 1) * BatchFilter.PageSize).Take(BatchFilter.PageSize).ToListAsync(cancellation);
        var counts = await BatchProgress.ReadAsync(db, batches.Select(b => b.Id).ToList(), cancellation);
        var versions = await VersionLabels.ReadAsync(db, batches.Select(b => b.ModelVersionId), cancellation);
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Name).Select(m => m.Name).ToListAsync(cancellation);

        var body = Html.Of($"""
            <section class="panel">{Filters(filter, models)}</section>
            <section class="panel" id="batches" data-live>{Table(batches, counts, versions, viewer)}{Pager(filter, total)}</section>
            """);
        return Layout.Page(viewer, "Batches", body);
    }

    private static Html Filters(BatchFilter filter, IReadOnlyList<string> models)
    {
        Html Option(string value, string label, string? selected) =>
            Html.Of($"""<option value="{value}"{Html.Raw(string.Equals(value, selected, StringComparison.OrdinalIgnoreCase) ? " selected" : "")}>{label}</option>""");
        var states = Enum.GetNames<BatchState>().Select(s => Option(s.ToLowerInvariant(), s.ToLowerInvariant(), filter.State));
        var modelOptions = models.Select(m => Option(m, m, filter.Model));
        return Html.Of($"""
            <form method="get" action="{DashboardPaths.Batches}" class="filters">
              <label>name or id<input type="search" name="q" value="{filter.Q}" placeholder="search"></label>
              <label>state<select name="state"><option value="">any</option>{states}</select></label>
              <label>created from<input type="date" name="from" value="{filter.From?.ToString("yyyy-MM-dd")}"></label>
              <label>to<input type="date" name="to" value="{filter.To?.ToString("yyyy-MM-dd")}"></label>
              <label>model<select name="model"><option value="">any</option>{modelOptions}</select></label>
              <button type="submit" class="button primary">Filter</button>
              <a href="{DashboardPaths.Batches}">clear</a>
            </form>
            """);
    }

    private static Html Table(IReadOnlyList<BatchRecord> batches, IReadOnlyDictionary<Guid, BatchCounts> counts, IReadOnlyDictionary<Guid, string> versions, Viewer viewer)
    {
        if (batches.Count == 0) return Html.Raw("""<p class="empty">no batches match</p>""");
        var rows = batches.Select(b => Html.Of($"""
            <tr data-batch="{b.Id}">
              <td><a href="{DashboardPaths.Batch(b.Id)}">{b.Name ?? "(unnamed)"}</a><div class="mono muted">{b.Id}</div></td>
              <td>{Badge.Of(b.State)}</td>
              <td>{ProgressBar.Of(counts[b.Id])}</td>
              <td class="mono">{versions.GetValueOrDefault(b.ModelVersionId, Format.ShortId(b.ModelVersionId))}</td>
              <td class="num">{b.Priority}</td>
              <td>{b.SubmittedBy}</td>
              <td>{Format.Time(b.CreatedAt)}</td>
              <td>{Format.Time(b.CompletedAt)}</td>
              <td>{Html.If(b.State == BatchState.Active, viewer.ActionButton(DashboardPaths.CancelBatch(b.Id), "Cancel", $"Cancel batch {b.Name ?? b.Id.ToString()}? Its pending and running items stop."))}</td>
            </tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th>batch</th><th>state</th><th>progress</th><th>model</th><th class="num">priority</th><th>submitted by</th><th>created</th><th>completed</th><th></th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }

    private static Html Pager(BatchFilter filter, int total)
    {
        var pages = Math.Max(1, (total + BatchFilter.PageSize - 1) / BatchFilter.PageSize);
        return Html.Of($"""
            <div class="pager"><span class="muted">{total} batches, page {filter.Page} of {pages}</span>
            {Html.If(filter.Page > 1, Html.Of($"""<a href="{filter.Link(filter.Page - 1)}">newer</a>"""))}
            {Html.If(filter.Page < pages, Html.Of($"""<a href="{filter.Link(filter.Page + 1)}">older</a>"""))}</div>
            """);
    }
}
