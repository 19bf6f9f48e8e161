using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Evaluations;

/// <summary>
/// Evaluation runs oldest first, so a client draws metrics over time straight from the list; filtered by
/// model name or model version. Each carries its grid image with a presigned URL.
/// </summary>
public static class EvaluationEndpoints
{
    public const int MaxListLimit = 1000;

    public static void MapEvaluationEndpoints(this IEndpointRouteBuilder v1)
    {
        var evaluations = v1.MapGroup("/evaluations").WithTags("evaluations");
        evaluations.MapGet("/", ListAsync);
        evaluations.MapGet("/{id:guid}", GetAsync);
    }

    private static async Task<Results<Ok<List<EvaluationView>>, BadRequest<ApiError>>> ListAsync(
        PipelineDbContext db, ObjectStore store, string? model, Guid? modelVersionId, int? limit, CancellationToken cancellation)
    {
        var take = limit ?? 200;
        if (take is < 1 or > MaxListLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxListLimit}");
        if (RequestText.Problem("model", model) is { } problem) return ApiErrors.BadRequest(problem);
        var query = Joined(db);
        if (model is not null) query = query.Where(e => e.Version.ModelName == model);
        if (modelVersionId is { } version) query = query.Where(e => e.Run.ModelVersionId == version);
        // The newest `take`, shown in time order.
        var rows = await query.OrderByDescending(e => e.Run.CreatedAt).Take(take).ToListAsync(cancellation);
        return TypedResults.Ok(rows.OrderBy(e => e.Run.CreatedAt).Select(e => View(e, store)).ToList());
    }

    private static async Task<Results<Ok<EvaluationView>, NotFound<ApiError>>> GetAsync(Guid id, PipelineDbContext db, ObjectStore store, CancellationToken cancellation)
    {
        var row = await Joined(db).SingleOrDefaultAsync(e => e.Run.Id == id, cancellation);
        return row is null ? ApiErrors.NotFound($"no evaluation run with id {id}") : TypedResults.Ok(View(row, store));
    }

    /// <summary>Set by member initialisation, not a constructor: EF Core translates filters and orderings through members it initialised, not through constructor arguments.</summary>
    private sealed record Row
    {
        public required EvaluationRunRecord Run { get; init; }
        public required ModelVersionRecord Version { get; init; }
        public required DatasetVersionRecord Dataset { get; init; }
    }

    private static IQueryable<Row> Joined(PipelineDbContext db) =>
        from run in db.EvaluationRuns.AsNoTracking()
        join version in db.ModelVersions.AsNoTracking() on run.ModelVersionId equals version.Id
        join dataset in db.DatasetVersions.AsNoTracking() on run.DatasetVersionId equals dataset.Id
        select new Row { Run = run, Version = version, Dataset = dataset };

    private static EvaluationView View(Row row, ObjectStore store)
    {
        var (run, version, dataset) = (row.Run, row.Version, row.Dataset);
        var grid = run.GridBucket is { } bucket && run.GridKey is { } key ? new ObjectReference(bucket, key) : null;
        return new EvaluationView(run.Id, run.ModelVersionId, version.ModelName, version.Version, run.DatasetVersionId, dataset.Name, dataset.Version,
            run.State.ToString(), run.Limit, run.ScheduleName,
            run.MetricsJson is null ? null : JsonSerializer.Deserialize<EvaluationMetrics>(run.MetricsJson, ContractTypes.Json),
            grid, grid is null ? null : store.PresignGet(grid), run.Error, run.CreatedAt, run.CompletedAt);
    }
}
