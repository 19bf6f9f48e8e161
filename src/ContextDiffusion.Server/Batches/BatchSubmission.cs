using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// Submitting a batch: resolve the model, validate every item and every referenced object, then write the
/// batch, its items (by COPY, see <see cref="BulkCopy"/>) and their GenerateItems commands (the outbox) in
/// one transaction, so a batch is either queued whole or not at all. An idempotency key makes a retried submit return the first batch; two
/// concurrent submits with one key meet at the key's unique index and the loser returns the winner's batch.
/// </summary>
public sealed class BatchSubmission(PipelineDbContext db, ModelRegistry models, ObjectStore store, OutboxSignal signal)
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>When a version's config does not say (ContextDiffusionConfig's default, the paper's k).</summary>
    public const int DefaultMaxContextImages = 3;

    /// <exception cref="RequestProblemsException">The request is invalid; every problem is listed.</exception>
    public async Task<BatchSubmitted> SubmitAsync(SubmitBatchRequest request, string? idempotencyKey, string? submittedBy, CancellationToken cancellation)
    {
        if (idempotencyKey?.Length > MaxIdempotencyKeyLength)
            throw new RequestProblemsException([$"idempotencyKey: {idempotencyKey.Length} characters; at most {MaxIdempotencyKeyLength}"]);
        if (idempotencyKey is not null && await FindAsync(idempotencyKey, cancellation) is { } earlier) return earlier;

        ModelVersionRecord version;
        try
        {
            version = await models.ResolveAsync(request.Model, cancellation);
        }
        catch (UnknownModelException e)
        {
            throw new RequestProblemsException([$"model: {e.Message}"]);
        }
        var problems = BatchRequestValidator.Check(request, MaxContextImages(version));
        if (problems.Count == 0) problems = await ObjectExistence.FindMissingAsync(store, References(request.Items), cancellation);
        if (problems.Count > 0) throw new RequestProblemsException(problems);

        var now = DateTimeOffset.UtcNow;
        var batch = new BatchRecord
        {
            Id = Guid.CreateVersion7(), Name = request.Name, IdempotencyKey = idempotencyKey, ModelVersionId = version.Id,
            Priority = request.Priority, State = BatchState.Active, Total = request.Items.Count, SubmittedBy = submittedBy, CreatedAt = now,
        };
        var items = request.Items.Select((item, index) => ToRecord(batch, index, item, item.Sampling ?? request.Sampling)).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        db.Batches.Add(batch);
        // Before the copy: it stamps the items as dispatched and adds their commands to the outbox.
        GenerationDispatch.Enqueue(db, batch, items);
        try
        {
            await db.SaveChangesAsync(cancellation);
            await BulkCopy.InsertAsync(db, items, cancellation);
            await transaction.CommitAsync(cancellation);
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_batches_idempotency_key" })
        {
            await transaction.RollbackAsync(cancellation);
            db.ChangeTracker.Clear();
            return await FindAsync(idempotencyKey, cancellation) ?? throw new InvalidOperationException($"batch with idempotency key '{idempotencyKey}' vanished", e);
        }
        signal.Notify();
        return new BatchSubmitted(batch.Id, Created: true, batch.Total, version.Id);
    }

    private async Task<BatchSubmitted?> FindAsync(string idempotencyKey, CancellationToken cancellation) =>
        await db.Batches.AsNoTracking().Where(b => b.IdempotencyKey == idempotencyKey)
            .Select(b => new BatchSubmitted(b.Id, false, b.Total, b.ModelVersionId))
            .SingleOrDefaultAsync(cancellation);

    /// <summary>The version's max_context_images (its config.json, snake_case), or the default when it is not there.</summary>
    private static int MaxContextImages(ModelVersionRecord version)
    {
        using var config = JsonDocument.Parse(version.ConfigJson);
        return config.RootElement.TryGetProperty("max_context_images", out var value) && value.TryGetInt32(out var max) ? max : DefaultMaxContextImages;
    }

    private static IEnumerable<(string Path, ObjectReference Reference)> References(IReadOnlyList<SubmitItem> items)
    {
        for (var i = 0; i < items.Count; i++)
        {
            yield return ($"items[{i}].query", items[i].Query);
            for (var j = 0; j < items[i].Context.Count; j++) yield return ($"items[{i}].context[{j}]", items[i].Context[j].Image);
        }
    }

    private static ItemRecord ToRecord(BatchRecord batch, int index, SubmitItem item, SamplingParameters sampling) => new()
    {
        Id = Guid.CreateVersion7(),
        BatchId = batch.Id,
        Index = index,
        ModelVersionId = batch.ModelVersionId,
        ExternalId = item.ExternalId,
        QueryBucket = item.Query.Bucket,
        QueryKey = item.Query.Key,
        ContextJson = JsonSerializer.Serialize(item.Context, ContractTypes.Json),
        Prompt = item.Prompt ?? "",
        Seed = item.Seed ?? ItemSeeds.Default(index),
        Steps = sampling.Steps,
        Sampler = BatchRequestValidator.SamplerName(sampling.Sampler)!,
        ContextGuidance = sampling.ContextGuidance,
        TextGuidance = sampling.TextGuidance,
        State = ItemState.Pending,
        CreatedAt = batch.CreatedAt,
    };
}
