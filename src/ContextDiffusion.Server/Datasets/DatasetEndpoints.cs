using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Datasets;

/// <summary>Dataset versions made by preprocessing: counts per domain, files, and (for one) every skipped file with its reason and each file's checksum.</summary>
public static class DatasetEndpoints
{
    public const int MaxListLimit = 500;

    public static void MapDatasetEndpoints(this IEndpointRouteBuilder v1)
    {
        var datasets = v1.MapGroup("/datasets").WithTags("datasets");
        datasets.MapGet("/", ListAsync);
        datasets.MapGet("/{id:guid}", GetAsync);
    }

    /// <summary>Newest first; <paramref name="name"/> keeps one dataset's versions.</summary>
    private static async Task<Results<Ok<List<DatasetVersionView>>, BadRequest<ApiError>>> ListAsync(PipelineDbContext db, string? name, int? limit, CancellationToken cancellation)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxListLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxListLimit}");
        if (RequestText.Problem("name", name) is { } problem) return ApiErrors.BadRequest(problem);
        var query = db.DatasetVersions.AsNoTracking();
        if (name is not null) query = query.Where(d => d.Name == name);
        var rows = await query.OrderByDescending(d => d.CreatedAt).Take(take).ToListAsync(cancellation);
        return TypedResults.Ok(rows.Select(DatasetViews.View).ToList());
    }

    private static async Task<Results<Ok<DatasetVersionDetail>, NotFound<ApiError>>> GetAsync(Guid id, PipelineDbContext db, CancellationToken cancellation)
    {
        var row = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellation);
        return row is null ? ApiErrors.NotFound($"no dataset version with id {id}") : TypedResults.Ok(DatasetViews.Detail(row));
    }
}
