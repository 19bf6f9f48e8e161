using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>One item in full: its images large, its sampling settings, its attempts and lease, and its error text.</summary>
public static class ItemPage
{
    private const int ImageSize = 256;

    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/batches/{batchId:guid}/items/{id:guid}", RenderAsync);

    private static async Task<IResult> RenderAsync(Guid batchId, Guid id, HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var viewer = Viewer.Of(context);
        var item = await db.Items.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id && i.BatchId == batchId, cancellation);
        if (item is null) return NotFoundPage.Render(viewer, $"batch {batchId} has no item {id}");
        var batchName = await db.Batches.Where(b => b.Id == batchId).Select(b => b.Name).SingleAsync(cancellation);

        Html Figure(Html image, string caption) => Html.Of($"""<figure class="figure">{image}<figcaption>{caption}</figcaption></figure>""");
        var contexts = ItemViews.Contexts(item).Select((c, n) => Figure(ItemViews.Thumbnail(c.Image, $"context {n + 1}", ImageSize), $"context {n + 1} · weight {c.Weight:0.##}"));
        var output = ItemViews.Output(item) is { } o
            ? Figure(ItemViews.Thumbnail(o, "output", ImageSize), "output")
            : Figure(ItemViews.Missing("no output"), $"output ({item.State.ToString().ToLowerInvariant()})");
        var error = Html.If(item.Error is not null, Html.Of($"""<section class="panel"><h2>Error</h2><pre class="error">{item.Error}</pre></section>"""));
        var body = Html.Of($"""
            <p><a href="{DashboardPaths.Batch(batchId)}">&larr; {batchName ?? "batch " + Format.ShortId(batchId)}</a></p>
            <div id="item" data-live>
            {error}
            <section class="panel"><h2>Images</h2>{Figure(ItemViews.Thumbnail(ItemViews.Query(item), "query", ImageSize), "query")}{contexts}{output}</section>
            <section class="panel"><h2>Details</h2>
            <dl class="facts">
              <dt>id</dt><dd class="mono">{item.Id}</dd>
              <dt>external id</dt><dd>{item.ExternalId ?? "-"}</dd>
              <dt>state</dt><dd>{Badge.Of(item.State)}</dd>
              <dt>prompt</dt><dd>{(item.Prompt.Length == 0 ? "(none)" : item.Prompt)}</dd>
              <dt>sampling</dt><dd>{item.Sampler}, {item.Steps} steps, seed {item.Seed}, guidance context {item.ContextGuidance:0.##} / text {item.TextGuidance:0.##}</dd>
              <dt>query</dt><dd class="mono">s3://{item.QueryBucket}/{item.QueryKey}</dd>
              <dt>output</dt><dd class="mono">{(item.OutputKey is null ? "-" : $"s3://{item.OutputBucket}/{item.OutputKey}")}</dd>
              <dt>attempts</dt><dd>{item.Attempts}</dd>
              <dt>worker</dt><dd class="mono">{item.Worker ?? "-"}</dd>
              <dt>lease</dt><dd>{(item.LeaseOwner is null ? "-" : item.LeaseOwner)} {Html.If(item.LeaseExpiresAt is not null, Html.Of($"until {Format.Time(item.LeaseExpiresAt)}"))}</dd>
              <dt>generation time</dt><dd>{Format.Number(item.GenerationSeconds, "0.00")} s</dd>
              <dt>created</dt><dd>{Format.Time(item.CreatedAt)}</dd>
              <dt>started</dt><dd>{Format.Time(item.StartedAt)}</dd>
              <dt>completed</dt><dd>{Format.Time(item.CompletedAt)}</dd>
            </dl></section>
            </div>
            """);
        return Layout.Page(viewer, $"Item #{item.Index}", body);
    }
}
