using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Batches;

/// <summary>Submit, list, follow and cancel batches; page through their items.</summary>
public static class BatchEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const int MaxListLimit = 200;
    public const int MaxItemPageLimit = 1000;

    public static void MapBatchEndpoints(this IEndpointRouteBuilder v1, ServerOptions options)
    {
        var batches = v1.MapGroup("/batches").WithTags("batches");
        batches.MapPost("/", SubmitAsync).WithMetadata(new RequestSizeLimitAttribute(options.MaxSubmitRequestBytes)).RequireAuthorization(ApiPolicies.Write);
        batches.MapGet("/", ListAsync);
        batches.MapGet("/{id:guid}", GetAsync);
        batches.MapGet("/{id:guid}/items", ItemsAsync);
        batches.MapPost("/{id:guid}/cancel", CancelAsync).RequireAuthorization(ApiPolicies.Write);
    }

    /// <summary>201 with the new batch; 200 with the earlier one when the idempotency key (header or body) was seen before.</summary>
    private static async Task<Results<Created<BatchSubmitted>, Ok<BatchSubmitted>, BadRequest<ApiError>>> SubmitAsync(
        SubmitBatchRequest request, [FromHeader(Name = IdempotencyHeader)] string? headerKey, ApiCaller caller, BatchSubmission submission, CancellationToken cancellation)
    {
        if (headerKey is not null && request.IdempotencyKey is not null && headerKey != request.IdempotencyKey)
            return ApiErrors.BadRequest($"the {IdempotencyHeader} header ('{headerKey}') and idempotencyKey ('{request.IdempotencyKey}') differ");
        try
        {
            var submitted = await submission.SubmitAsync(request, headerKey ?? request.IdempotencyKey, caller, cancellation);
            return submitted.Created ? TypedResults.Created($"/v1/batches/{submitted.BatchId}", submitted) : TypedResults.Ok(submitted);
        }
        catch (RequestProblemsException e)
        {
            return ApiErrors.BadRequest(e.Problems);
        }
    }

    /// <summary>The caller's batches (an admin's: all), newest first, optionally only those in <paramref name="state"/> (active, completed, canceled).</summary>
    private static async Task<Results<Ok<List<BatchStatus>>, BadRequest<ApiError>>> ListAsync(
        ApiCaller caller, PipelineDbContext db, string? state, int? limit, CancellationToken cancellation)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxListLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxListLimit}");
        var query = caller.Batches(db).AsNoTracking();
        if (state is not null)
        {
            if (!Enum.TryParse<BatchState>(state, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
                return ApiErrors.BadRequest($"state: '{state}'; must be one of {string.Join(", ", Enum.GetNames<BatchState>()).ToLowerInvariant()}");
            query = query.Where(b => b.State == wanted);
        }
        var rows = await query.OrderByDescending(b => b.CreatedAt).Take(take).ToListAsync(cancellation);
        var statuses = new List<BatchStatus>(rows.Count);
        foreach (var batch in rows) statuses.Add(BatchViews.Status(batch, await BatchCounts.ReadAsync(db, batch.Id, cancellation)));
        return TypedResults.Ok(statuses);
    }

    private static async Task<Results<Ok<BatchStatus>, NotFound<ApiError>>> GetAsync(Guid id, ApiCaller caller, PipelineDbContext db, CancellationToken cancellation)
    {
        var batch = await caller.Batches(db).AsNoTracking().SingleOrDefaultAsync(b => b.Id == id, cancellation);
        if (batch is null) return UnknownBatch(id);
        return TypedResults.Ok(BatchViews.Status(batch, await BatchCounts.ReadAsync(db, id, cancellation)));
    }

    /// <summary>Items in index order after <paramref name="after"/> (exclusive), optionally in one state.</summary>
    private static async Task<Results<Ok<ItemPage>, NotFound<ApiError>, BadRequest<ApiError>>> ItemsAsync(
        Guid id, int? after, int? limit, string? state, ApiCaller caller, PipelineDbContext db, ObjectStore store, CancellationToken cancellation)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxItemPageLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxItemPageLimit}");
        if (!await caller.Batches(db).AnyAsync(b => b.Id == id, cancellation)) return UnknownBatch(id);
        var query = db.Items.AsNoTracking().Where(i => i.BatchId == id);
        if (state is not null)
        {
            if (!Enum.TryParse<ItemState>(state, ignoreCase: true, out var wanted) || !Enum.IsDefined(wanted))
                return ApiErrors.BadRequest($"state: '{state}'; must be one of {string.Join(", ", Enum.GetNames<ItemState>()).ToLowerInvariant()}");
            query = query.Where(i => i.State == wanted);
        }
        var total = await query.CountAsync(cancellation);
        var start = after ?? -1;
        var rows = await query.Where(i => i.Index > start).OrderBy(i => i.Index).Take(take + 1).ToListAsync(cancellation);
        var page = rows.Take(take).Select(item => BatchViews.Item(item, store)).ToList();
        return TypedResults.Ok(new ItemPage(page, rows.Count > take ? page[^1].Index : null, total));
    }

    /// <summary>Pending and running items become canceled; 409 when the batch already ended.</summary>
    private static async Task<Results<Ok<BatchStatus>, NotFound<ApiError>, Conflict<ApiError>>> CancelAsync(
        Guid id, ApiCaller caller, PipelineDbContext db, ItemLedger ledger, CancellationToken cancellation)
    {
        if (!await caller.Batches(db).AnyAsync(b => b.Id == id, cancellation)) return UnknownBatch(id);
        if (!await ledger.CancelBatchAsync(id, cancellation))
        {
            var state = await db.Batches.Where(b => b.Id == id).Select(b => b.State).SingleAsync(cancellation);
            return ApiErrors.Conflict($"batch {id} is already {state.ToString().ToLowerInvariant()}");
        }
        var batch = await db.Batches.AsNoTracking().SingleAsync(b => b.Id == id, cancellation);
        return TypedResults.Ok(BatchViews.Status(batch, await BatchCounts.ReadAsync(db, id, cancellation)));
    }

    private static NotFound<ApiError> UnknownBatch(Guid id) => ApiErrors.NotFound($"no batch with id {id}");
}
