using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Training;

/// <summary>Start, list, follow (with the loss curve) and cancel training runs.</summary>
public static class TrainingRunEndpoints
{
    public const int MaxListLimit = 200;

    public static void MapTrainingRunEndpoints(this IEndpointRouteBuilder v1)
    {
        var runs = v1.MapGroup("/training-runs").WithTags("training");
        runs.MapPost("/", StartAsync).RequireAuthorization(ApiPolicies.Write);
        runs.MapGet("/", ListAsync);
        runs.MapGet("/{id:guid}", GetAsync);
        runs.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(ApiPolicies.Write);
    }

    /// <summary>201 with the new run; 403 when a key that is not an admin's asks for promotion (it changes every owner's default model).</summary>
    private static async Task<Results<Created<TrainingRunStatus>, BadRequest<ApiError>, JsonHttpResult<ApiError>>> StartAsync(
        StartTrainingRequest request, ApiCaller caller, TrainingRuns runs, CancellationToken cancellation)
    {
        if (request.Promote && !caller.IsAdmin)
            return ApiErrors.Status(StatusCodes.Status403Forbidden, $"promote: API key '{caller.KeyName}' may not promote (it needs an admin key); start the run without it");
        try
        {
            var run = await runs.StartAsync(request, caller, cancellation);
            return TypedResults.Created($"/v1/training-runs/{run.Id}", TrainingRunViews.Status(run, []));
        }
        catch (RequestProblemsException e)
        {
            return ApiErrors.BadRequest(e.Problems);
        }
    }

    /// <summary>Newest first, without their loss curves (GET one run for that).</summary>
    private static async Task<Results<Ok<List<TrainingRunStatus>>, BadRequest<ApiError>>> ListAsync(ApiCaller caller, PipelineDbContext db, int? limit, CancellationToken cancellation)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxListLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxListLimit}");
        var rows = await caller.TrainingRuns(db).AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(take).ToListAsync(cancellation);
        return TypedResults.Ok(rows.Select(run => TrainingRunViews.Status(run, [])).ToList());
    }

    private static async Task<Results<Ok<TrainingRunStatus>, NotFound<ApiError>>> GetAsync(Guid id, ApiCaller caller, PipelineDbContext db, TrainingRuns runs, CancellationToken cancellation)
    {
        var run = await caller.TrainingRuns(db).AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellation);
        if (run is null) return UnknownRun(id);
        return TypedResults.Ok(TrainingRunViews.Status(run, await runs.PointsAsync(id, cancellation)));
    }

    /// <summary>200 with the run (canceled, or still running with the cancel requested); 409 when it already ended.</summary>
    private static async Task<Results<Ok<TrainingRunStatus>, NotFound<ApiError>, Conflict<ApiError>>> CancelAsync(Guid id, ApiCaller caller, TrainingRuns runs, CancellationToken cancellation)
    {
        if (await runs.CancelAsync(id, caller.OwnerFilter, cancellation) is not { } outcome) return UnknownRun(id);
        if (!outcome.Changed) return ApiErrors.Conflict($"training run {id} is already {outcome.Run.State.ToString().ToLowerInvariant()}");
        return TypedResults.Ok(TrainingRunViews.Status(outcome.Run, []));
    }

    private static NotFound<ApiError> UnknownRun(Guid id) => ApiErrors.NotFound($"no training run with id {id}");
}
