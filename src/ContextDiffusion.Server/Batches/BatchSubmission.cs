using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// Submitting a batch: resolve the model, validate the batch, each item and every referenced object, then
/// write the batch, its items and their GenerateItems commands (the outbox) in one transaction, so a batch
/// is either queued whole or not at all. A problem of the batch refuses the request; a problem of one item
/// (a missing image, no context, an unknown item model) records that item as failed with its reason, and
/// announces it, while the rest of the batch goes on. An idempotency key makes a retried submit return the
/// first batch; two concurrent submits with one key meet at the key's unique index and the loser returns
/// the winner's batch.
/// </summary>
public sealed class BatchSubmission(PipelineDbContext db, ModelRegistry models, ObjectStore store, OutboxSignal signal)
{
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>When a version's config does not say (ContextDiffusionConfig's default, the paper's k).</summary>
    public const int DefaultMaxContextImages = 3;

    /// <exception cref="RequestProblemsException">The batch is invalid as a whole; every problem is listed.</exception>
    public async Task<BatchSubmitted> SubmitAsync(SubmitBatchRequest request, string? idempotencyKey, ApiCaller caller, CancellationToken cancellation)
    {
        if (idempotencyKey?.Length > MaxIdempotencyKeyLength)
            throw new RequestProblemsException([$"idempotencyKey: {idempotencyKey.Length} characters; at most {MaxIdempotencyKeyLength}"]);
        // Before the lookup by it: PostgreSQL refuses a NUL even in a query.
        if (RequestText.Problem("idempotencyKey", idempotencyKey) is { } problem) throw new RequestProblemsException([problem]);
        if (idempotencyKey is not null && await FindAsync(caller.Owner, idempotencyKey, cancellation) is { } earlier) return earlier;

        var problems = BatchRequestValidator.CheckBatch(request);
        ModelVersionRecord? version = null;
        try
        {
            version = await models.ResolveAsync(request.Model, cancellation);
        }
        catch (UnknownModelException e)
        {
            problems.Add($"model: {e.Message}");
        }
        if (problems.Count > 0) throw new RequestProblemsException(problems);

        var itemModels = await ResolveItemModelsAsync(request.Items, cancellation);
        var missing = await ObjectExistence.FindMissingAsync(store, request.Items.SelectMany(Usable), cancellation);
        var now = DateTimeOffset.UtcNow;
        var batch = new BatchRecord
        {
            Id = Guid.CreateVersion7(), Name = request.Name, IdempotencyKey = idempotencyKey, ModelVersionId = version!.Id,
            Priority = request.Priority, State = BatchState.Active, Total = request.Items.Count, SubmittedBy = caller.KeyName, Owner = caller.Owner, CreatedAt = now,
        };
        var items = new List<ItemRecord>(request.Items.Count);
        var rejected = new List<RejectedItem>();
        for (var index = 0; index < request.Items.Count; index++)
        {
            var item = request.Items[index];
            var (itemVersion, modelProblem) = item?.Model is { } spec ? itemModels[spec] : (version, null);
            var itemProblems = BatchRequestValidator.CheckItem(item, index, itemVersion is null ? DefaultMaxContextImages : MaxContextImages(itemVersion), InputBuckets);
            if (modelProblem is not null) itemProblems.Insert(0, $"items[{index}].model: {modelProblem}");
            if (item is not null) itemProblems.AddRange(MissingObjects(item, index, missing));
            var record = ToRecord(batch, index, item, item?.Sampling ?? request.Sampling, itemVersion?.Id ?? batch.ModelVersionId);
            if (itemProblems.Count > 0)
            {
                record.State = ItemState.Failed;
                // The reasons quote the caller's text, which may hold what PostgreSQL cannot store.
                record.Error = RequestText.Storable(string.Join("; ", itemProblems));
                record.CompletedAt = now;
                rejected.Add(new RejectedItem(index, item?.ExternalId, record.Error));
            }
            items.Add(record);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
        db.Batches.Add(batch);
        // Before the copy: it stamps the items as dispatched and adds their commands to the outbox.
        GenerationDispatch.Enqueue(db, batch, items.Where(i => i.State == ItemState.Pending));
        AnnounceRejected(batch, items, now);
        try
        {
            await db.SaveChangesAsync(cancellation);
            await BulkCopy.InsertAsync(db, items, cancellation);
            await transaction.CommitAsync(cancellation);
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ix_batches_owner_idempotency_key" })
        {
            await transaction.RollbackAsync(cancellation);
            db.ChangeTracker.Clear();
            return await FindAsync(caller.Owner, idempotencyKey, cancellation) ?? throw new InvalidOperationException($"batch with idempotency key '{idempotencyKey}' vanished", e);
        }
        signal.Notify();
        return new BatchSubmitted(batch.Id, Created: true, batch.Total, version.Id, rejected);
    }

    /// <summary>A fault event for each item failed at submit; the batch completes at once when none is left to generate.</summary>
    private void AnnounceRejected(BatchRecord batch, IReadOnlyList<ItemRecord> items, DateTimeOffset now)
    {
        var failed = items.Where(i => i.State == ItemState.Failed).ToList();
        foreach (var item in failed)
            db.AddMessage(new ItemFailed(Guid.NewGuid(), batch.Id, item.Id, item.Error!, Attempt: 0, Final: true, now));
        if (failed.Count < items.Count) return;
        batch.State = BatchState.Completed;
        batch.CompletedAt = now;
        db.AddMessage(new BatchCompleted(Guid.NewGuid(), batch.Id, batch.Name, items.Count, 0, failed.Count, 0, now));
    }

    /// <summary>The version of each distinct per-item model spec, or why there is none.</summary>
    private async Task<Dictionary<string, (ModelVersionRecord? Version, string? Problem)>> ResolveItemModelsAsync(IEnumerable<SubmitItem?> items, CancellationToken cancellation)
    {
        var resolved = new Dictionary<string, (ModelVersionRecord?, string?)>();
        foreach (var spec in items.Select(i => i?.Model).OfType<string>().Distinct())
        {
            try
            {
                resolved[spec] = (await models.ResolveAsync(spec, cancellation), null);
            }
            catch (UnknownModelException e)
            {
                resolved[spec] = (null, e.Message);
            }
        }
        return resolved;
    }

    private static IEnumerable<string> MissingObjects(SubmitItem item, int index, IReadOnlySet<ObjectReference> missing)
    {
        if (item.Query is { } query && missing.Contains(query)) yield return $"items[{index}].query: {query} does not exist";
        var context = item.Context ?? [];
        for (var j = 0; j < context.Count; j++)
            if (context[j]?.Image is { } image && missing.Contains(image)) yield return $"items[{index}].context[{j}]: {image} does not exist";
    }

    /// <summary>The owner's batch with this idempotency key: keys are per owner, so another team's key never finds it.</summary>
    private async Task<BatchSubmitted?> FindAsync(string owner, string idempotencyKey, CancellationToken cancellation) =>
        await db.Batches.AsNoTracking().Where(b => b.Owner == owner && b.IdempotencyKey == idempotencyKey)
            .Select(b => new BatchSubmitted(b.Id, false, b.Total, b.ModelVersionId))
            .SingleOrDefaultAsync(cancellation);

    /// <summary>The version's max_context_images (its config.json, snake_case), or the default when it is not there.</summary>
    private static int MaxContextImages(ModelVersionRecord version)
    {
        using var config = JsonDocument.Parse(version.ConfigJson);
        return config.RootElement.TryGetProperty("max_context_images", out var value) && value.TryGetInt32(out var max) ? max : DefaultMaxContextImages;
    }

    /// <summary>The buckets an item's images may come from: uploads, and earlier outputs (to chain generations).</summary>
    private string[] InputBuckets => [store.Options.ImagesBucket, store.Options.OutputsBucket];

    /// <summary>The references of an item that may be looked up (the validator names the others): nothing outside <see cref="InputBuckets"/> is ever asked about.</summary>
    private IEnumerable<ObjectReference> Usable(SubmitItem? item)
    {
        if (item is null) yield break;
        if (BatchRequestValidator.IsUsable(item.Query, InputBuckets)) yield return item.Query;
        foreach (var context in item.Context ?? [])
            if (BatchRequestValidator.IsUsable(context?.Image, InputBuckets)) yield return context!.Image;
    }

    /// <summary>The item's row; a malformed item (failed at submit) keeps what it gave, made storable (<see cref="RequestText.Storable"/>).</summary>
    private static ItemRecord ToRecord(BatchRecord batch, int index, SubmitItem? item, SamplingParameters sampling, Guid modelVersionId) => new()
    {
        Id = Guid.CreateVersion7(),
        BatchId = batch.Id,
        Index = index,
        ModelVersionId = modelVersionId,
        ExternalId = item?.ExternalId is { } externalId ? RequestText.Storable(externalId) : null,
        QueryBucket = RequestText.Storable(item?.Query?.Bucket ?? ""),
        QueryKey = RequestText.Storable(item?.Query?.Key ?? ""),
        ContextJson = JsonSerializer.Serialize(
            (item?.Context ?? []).Select(c => c?.Image is { } image
                ? c with { Image = new ObjectReference(RequestText.Storable(image.Bucket ?? ""), RequestText.Storable(image.Key ?? "")) }
                : c), ContractTypes.Json),
        Prompt = RequestText.Storable(item?.Prompt ?? ""),
        Seed = item?.Seed ?? ItemSeeds.Default(index),
        Steps = sampling.Steps,
        Sampler = BatchRequestValidator.SamplerName(sampling.Sampler) ?? RequestText.Storable(sampling.Sampler ?? ""),
        ContextGuidance = sampling.ContextGuidance,
        TextGuidance = sampling.TextGuidance,
        State = ItemState.Pending,
        CreatedAt = batch.CreatedAt,
    };
}
