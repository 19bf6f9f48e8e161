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
/// Takes a delivery of GenerateItems commands (MassTransit collects several within a short window), claims
/// their items in PostgreSQL, groups the claimed ones by model version and sampling parameters into
/// micro-batches, generates, stores each output under its item's deterministic key, and records the
/// outcomes. Items someone else holds, or that are already final, are skipped: duplicates are harmless.
/// </summary>
public sealed class GenerateItemsConsumer(
    ItemLedger ledger, ItemInputLoader loader, ModelCache models, ObjectStore store,
    IOptions<WorkerOptions> options, WorkerActivity activity, ILogger<GenerateItemsConsumer> logger) : IConsumer<Batch<GenerateItems>>
{
    private static readonly TimeSpan CancelPoll = TimeSpan.FromSeconds(2);

    public async Task Consume(ConsumeContext<Batch<GenerateItems>> context)
    {
        var settings = options.Value;
        var wanted = context.Message
            .SelectMany(m => m.Message.Items.Select(item => (Command: m.Message, Item: item)))
            .DistinctBy(x => x.Item.ItemId)
            .ToDictionary(x => x.Item.ItemId);
        var claimed = await ledger.ClaimAsync(wanted.Keys, settings.Name, settings.ItemLease, context.CancellationToken);
        if (claimed.Count == 0) return;
        var groups = claimed
            .GroupBy(c => (wanted[c.Id].Command.ModelVersionId, wanted[c.Id].Command.Sampling))
            .SelectMany(g => g.Chunk(settings.MicroBatchSize).Select(chunk => (g.Key.ModelVersionId, g.Key.Sampling, Items: chunk)));
        foreach (var (versionId, sampling, chunk) in groups)
        {
            var items = chunk.Select(c => wanted[c.Id].Item).ToList();
            var outcomes = await RunAsync(versionId, sampling, chunk, items, context.CancellationToken);
            if (outcomes.Count == 0) continue;
            var seeds = items.ToDictionary(i => i.ItemId, i => i.Seed);
            var recorded = await ledger.CompleteAsync(outcomes, settings.Name, versionId, seeds, context.CancellationToken);
            activity.ItemsDone(recorded.Count);
        }
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
            for (var r = 0; r < ready.Count; r++)
            {
                var item = claimed.First(c => c.Id == ready[r].Item.ItemId);
                var output = new ObjectReference(store.Options.OutputsBucket, ObjectKeys.Output(item.BatchId, item.Id));
                await store.PutAsync(output, pngs[r], "image/png", new Dictionary<string, string>
                {
                    ["seed"] = ready[r].Item.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["model-version"] = versionId.ToString(),
                    ["item"] = item.Id.ToString(),
                }, cancellation);
                outcomes.Add(ItemOutcome.Succeeded(item, output, seconds));
            }
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
