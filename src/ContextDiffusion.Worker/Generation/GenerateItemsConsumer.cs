using System.Diagnostics;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Takes a delivery of GenerateItems commands (MassTransit collects several within a short window), groups
/// their items by model version and sampling parameters, and works through each group a micro-batch at a
/// time: claim up to a micro-batch of items in PostgreSQL (a lease that needs to cover only that one pass),
/// generate, store each output under its item's deterministic key, record the outcomes. Items someone else
/// holds, or that are already final, are not claimed: duplicates are harmless.
/// </summary>
public sealed class GenerateItemsConsumer(
    ItemLedger ledger, ItemInputLoader loader, ModelCache models, ObjectStore store,
    IOptions<WorkerOptions> options, WorkerActivity activity, ILogger<GenerateItemsConsumer> logger) : IConsumer<Batch<GenerateItems>>
{
    private static readonly TimeSpan CancelPoll = TimeSpan.FromSeconds(2);

    /// <summary>Outputs uploaded at once: storage round trips, not bandwidth, bound small images.</summary>
    private const int StoreParallelism = 8;

    public async Task Consume(ConsumeContext<Batch<GenerateItems>> context)
    {
        var settings = options.Value;
        var wanted = context.Message
            .SelectMany(m => m.Message.Items.Select(item => (Command: m.Message, Item: item)))
            .DistinctBy(x => x.Item.ItemId)
            .ToDictionary(x => x.Item.ItemId);
        foreach (var group in wanted.Values.GroupBy(x => (x.Command.ModelVersionId, x.Command.Sampling)))
        {
            var candidates = new Queue<Guid>(group.Select(x => x.Item.ItemId));
            while (await ClaimMicroBatchAsync(candidates, context.CancellationToken) is { Count: > 0 } claimed)
            {
                var items = claimed.Select(c => wanted[c.Id].Item).ToList();
                var outcomes = await RunAsync(group.Key.ModelVersionId, group.Key.Sampling, claimed, items, context.CancellationToken);
                if (outcomes.Count == 0) continue;
                var recorded = await ledger.CompleteAsync(outcomes, settings.Name, group.Key.ModelVersionId, items.ToDictionary(i => i.ItemId, i => i.Seed), context.CancellationToken);
                activity.ItemsDone(recorded.Count);
            }
        }
    }

    /// <summary>Claims candidates until a micro-batch is full or none is left; those already taken or final are skipped.</summary>
    private async Task<List<ClaimedItem>> ClaimMicroBatchAsync(Queue<Guid> candidates, CancellationToken cancellation)
    {
        var settings = options.Value;
        var claimed = new List<ClaimedItem>();
        while (claimed.Count < settings.MicroBatchSize && candidates.Count > 0)
        {
            var next = new List<Guid>();
            while (next.Count < settings.MicroBatchSize - claimed.Count && candidates.TryDequeue(out var id)) next.Add(id);
            claimed.AddRange(await ledger.ClaimAsync(next, settings.Name, settings.ItemLease, cancellation));
        }
        return claimed;
    }

    /// <summary>One micro-batch; empty when its batch was canceled while it ran.</summary>
    private async Task<IReadOnlyList<ItemOutcome>> RunAsync(Guid versionId, SamplingParameters sampling, IReadOnlyList<ClaimedItem> claimed,
        IReadOnlyList<GenerationItem> items, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var inputs = await loader.LoadAsync(items, cancellation);
        try
        {
            var outcomes = new List<ItemOutcome>();
            for (var i = 0; i < inputs.Count; i++)
                if (inputs[i].Error is { } error) outcomes.Add(ItemOutcome.Failed(claimed[i], error));
            var ready = inputs.Where(i => i.Error is null).ToList();
            if (ready.Count == 0) return outcomes;

            activity.Set($"generating {ready.Count} items of batch {claimed[0].BatchId}");
            using var canceled = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var watch = WatchForCancelAsync(claimed.Select(c => c.Id).ToList(), canceled);
            IReadOnlyList<byte[]> pngs;
            try
            {
                pngs = await models.UseAsync(versionId, model => MicroBatchGenerator.Generate(model, ready, sampling, versionId.ToString(), canceled.Token), cancellation);
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                logger.LogInformation("micro-batch of batch {Batch} stopped: its items were canceled", claimed[0].BatchId);
                return [];
            }
            catch (UnknownModelVersionException e)
            {
                return claimed.Select(c => ItemOutcome.Failed(c, e.Message)).ToList();
            }
            finally
            {
                await canceled.CancelAsync();
                await watch;
                activity.Set(null);
            }

            var seconds = clock.Elapsed.TotalSeconds / ready.Count;
            var stored = new ItemOutcome[ready.Count];
            await Parallel.ForAsync(0, ready.Count, new ParallelOptions { MaxDegreeOfParallelism = StoreParallelism, CancellationToken = cancellation }, async (r, token) =>
            {
                var item = claimed.First(c => c.Id == ready[r].Item.ItemId);
                var output = new ObjectReference(store.Options.OutputsBucket, ObjectKeys.Output(item.BatchId, item.Id));
                await store.PutAsync(output, pngs[r], "image/png", new Dictionary<string, string>
                {
                    ["seed"] = ready[r].Item.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["model-version"] = versionId.ToString(),
                    ["item"] = item.Id.ToString(),
                }, token);
                stored[r] = ItemOutcome.Succeeded(item, output, seconds);
            });
            outcomes.AddRange(stored);
            return outcomes;
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    /// <summary>Cancels <paramref name="source"/> once none of the items is ours any more (their batch was canceled).</summary>
    private async Task WatchForCancelAsync(IReadOnlyCollection<Guid> itemIds, CancellationTokenSource source)
    {
        try
        {
            while (!source.IsCancellationRequested)
            {
                await Task.Delay(CancelPoll, source.Token);
                if (await ledger.CountHeldAsync(itemIds, options.Value.Name, source.Token) == 0) await source.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The micro-batch finished, or was canceled.
        }
        catch (Exception e)
        {
            logger.LogWarning("cancel watch stopped: {Error}", e.Message);
        }
    }
}
