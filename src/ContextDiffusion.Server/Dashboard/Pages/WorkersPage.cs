using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Dashboard.Views;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Pages;

/// <summary>Every worker that ever reported, most recently seen first, with its heartbeat age and device.</summary>
public static class WorkersPage
{
    public static void Map(RouteGroupBuilder dashboard) => dashboard.MapGet("/workers", RenderAsync);

    private static async Task<IResult> RenderAsync(HttpContext context, PipelineDbContext db, CancellationToken cancellation)
    {
        var workers = await db.Workers.AsNoTracking().OrderByDescending(w => w.LastSeenAt).ToListAsync(cancellation);
        var body = Html.Of($"""<section class="panel" id="workers" data-live>{WorkerViews.Table(workers, DateTimeOffset.UtcNow)}</section>""");
        return Layout.Page(Viewer.Of(context), "Workers", body);
    }
}
