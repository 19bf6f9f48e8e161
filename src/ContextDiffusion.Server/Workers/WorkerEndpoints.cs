using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Workers;

/// <summary>
/// GET /v1/workers: every worker that ever reported, most recently seen first, so operators see which are alive.
/// An admin's: it shows what every worker is doing, whichever owner's work that is.
/// </summary>
public static class WorkerEndpoints
{
    public static void MapWorkerEndpoints(this IEndpointRouteBuilder v1) =>
        v1.MapGet("/workers", ListAsync).WithTags("workers").RequireAuthorization(ApiPolicies.Admin);

    private static async Task<Ok<List<WorkerView>>> ListAsync(PipelineDbContext db, CancellationToken cancellation) =>
        TypedResults.Ok(await db.Workers.AsNoTracking().OrderByDescending(w => w.LastSeenAt)
            .Select(w => new WorkerView(w.Name, w.Device, w.Host, w.StartedAt, w.LastSeenAt, w.Activity, w.ItemsDone))
            .ToListAsync(cancellation));
}
