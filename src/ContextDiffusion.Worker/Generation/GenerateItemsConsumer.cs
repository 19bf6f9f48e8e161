using System.Diagnostics;
using System.Globalization;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Takes a delivery of GenerateItems commands (MassTransit collects several within a short window), groups
/// their items by model version and sampling parameters, and works through each group a micro-batch at a
/// time: claim up to a micro-batch of items in PostgreSQL (a lease that needs to cover only that one pass),
/// fetch and decode their images, generate, store each output under its item's deterministic key, record
/// the outcomes. Leases are renewed while a micro-batch is in flight (<see cref="ItemLeaseKeeper"/>), which
/// also notices a canceled batch and stops its sampling between steps. The stages overlap: while the model runs one micro-batch, the next is claimed and decoded
/// and the previous one stored and recorded, so storage and database round trips hide behind the device.
/// Items someone else holds, or that are already final, are not claimed: duplicates are harmless.
/// </summary>
public sealed class GenerateItemsConsumer(
    IServiceScopeFactory scopes, ItemInputLoader loader, ModelCache models, MicroBatchGenerator generator, ObjectStore store,
    IOptions<WorkerOptions> options, WorkerActivity activity, ILogger<GenerateItemsConsumer> logger) : IConsumer<Batch<GenerateItems>>
{
    /// <summary>Outputs uploaded at once: storage round trips, not bandwidth, bound small images.</summary>
    private const int StoreParallelism = 8;

    public async Task Consume(ConsumeContext<Batch<GenerateItems>> context)
    {
        var cancellation = context.CancellationToken;
        var wanted = context.Message
            .SelectMany(m => m.Message.Items.Select(item => (Command: m.Message, Item: item)))
            .DistinctBy(x => x.Item.ItemId)
            .ToDictionary(x => x.Item.ItemId);
        foreach (var group in wanted.Values.GroupBy(x => (x.Command.ModelVersionId, x.Command.Sampling)))
        {
            var (versionId, sampling) = group.Key;
            var candidates = new Queue<GenerationItem>(group.Select(x => x.Item));
            var recording = Task.CompletedTask;
            var next = PrepareAsync(candidates, cancellation);
            try
            {
                while (await next is { } current)
                {
                    next = PrepareAsync(candidates, cancellation);
                    var outcomes = await GenerateAsync(versionId, sampling, current, cancellation);
                    await recording;
                    recording = StoreAndRecordAsync(versionId, current, outcomes, cancellation);
                }
                await recording;
            }
            finally
            {
                // A failure (retried by MassTransit) leaves the prepared micro-batch claimed: recovery hands its
                // items on when their lease expires; here only its decoded images are freed.
                if (await next.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } pending)
                    await pending.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Claims candidates until a micro-batch is full or none is left (those taken or final are skipped), then
    /// fetches and decodes their images; null when nothing was left to claim.
    /// </summary>
    private async Task<PreparedMicroBatch?> PrepareAsync(Queue<GenerationItem> candidates, CancellationToken cancellation)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
        var claimed = new List<ClaimedItem>();
        var byId = new Dictionary<Guid, GenerationItem>();
        while (claimed.Count < settings.MicroBatchSize && candidates.Count > 0)
        {
            var next = new List<GenerationItem>();
            while (next.Count < settings.MicroBatchSize - claimed.Count && candidates.TryDequeue(out var item)) next.Add(item);
            foreach (var item in next) byId[item.ItemId] = item;
            claimed.AddRange(await ledger.ClaimAsync(next.Select(i => i.ItemId).ToList(), settings.Name, settings.ItemLease, cancellation));
        }
        if (claimed.Count == 0) return null;
        var leases = new ItemLeaseKeeper(scopes, claimed.Select(c => c.Id).ToList(), settings.Name, settings.ItemLease, logger);
        return new PreparedMicroBatch(claimed, await loader.LoadAsync(claimed.Select(c => byId[c.Id]).ToList(), cancellation), leases);
    }

    /// <summary>
    /// One pass of the model: outcomes with the PNG bytes of each ready item (stored later), rejections for
    /// items whose inputs were bad; null when the batch was canceled while it ran.
    /// </summary>
    private async Task<IReadOnlyList<(ItemOutcome Outcome, byte[]? Png)>?> GenerateAsync(Guid versionId, SamplingParameters sampling,
        PreparedMicroBatch batch, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = batch.Inputs.Where(i => i.Error is not null)
            .Select(i => (ItemOutcome.Failed(batch.ClaimOf(i.Item), i.Error!), (byte[]?)null)).ToList();
        var ready = batch.Ready;
        if (ready.Count == 0) return outcomes;

        activity.Set($"generating {ready.Count} items of batch {batch.Claimed[0].BatchId}");
        using var canceled = CancellationTokenSource.CreateLinkedTokenSource(cancellation, batch.Lost);
        try
        {
            var pngs = await models.UseAsync(versionId, model => generator.Generate(model, ready, sampling, versionId.ToString(), canceled.Token), cancellation);
            var seconds = clock.Elapsed.TotalSeconds / ready.Count;
            // The output reference is filled in once stored; until then the outcome holds the item and its time.
            outcomes.AddRange(ready.Select((input, r) => (new ItemOutcome(batch.ClaimOf(input.Item), null, null, seconds), (byte[]?)pngs[r])));
            return outcomes;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            logger.LogInformation("micro-batch of batch {Batch} stopped: its items were canceled", batch.Claimed[0].BatchId);
            return null;
        }
        catch (UnknownModelVersionException e)
        {
            return batch.Claimed.Select(c => (ItemOutcome.Failed(c, e.Message), (byte[]?)null)).ToList();
        }
        finally
        {
            activity.Set(null);
        }
    }

    /// <summary>Uploads the outputs, then records every outcome in one transaction (with its events); frees the inputs.</summary>
    private async Task StoreAndRecordAsync(Guid versionId, PreparedMicroBatch batch, IReadOnlyList<(ItemOutcome Outcome, byte[]? Png)>? generated, CancellationToken cancellation)
    {
        await using (batch)
        {
            if (generated is null) return;
            var outcomes = new ItemOutcome[generated.Count];
            await Parallel.ForAsync(0, generated.Count, new ParallelOptions { MaxDegreeOfParallelism = StoreParallelism, CancellationToken = cancellation }, async (i, token) =>
            {
                var (outcome, png) = generated[i];
                if (png is null)
                {
                    outcomes[i] = outcome;
                    return;
                }
                var item = outcome.Item;
                var output = new ObjectReference(store.Options.OutputsBucket, ObjectKeys.Output(item.BatchId, item.Id));
                await store.PutAsync(output, png, "image/png", new Dictionary<string, string>
                {
                    ["seed"] = batch.Seeds[item.Id].ToString(CultureInfo.InvariantCulture),
                    ["model-version"] = versionId.ToString(),
                    ["item"] = item.Id.ToString(),
                }, token);
                outcomes[i] = ItemOutcome.Succeeded(item, output, outcome.Seconds);
            });
            await using var scope = scopes.CreateAsyncScope();
            var recorded = await scope.ServiceProvider.GetRequiredService<ItemLedger>()
                .CompleteAsync(outcomes, options.Value.Name, versionId, batch.Seeds, cancellation);
            activity.ItemsDone(recorded.Count);
        }
    }
}
