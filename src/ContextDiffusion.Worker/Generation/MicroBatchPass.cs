using System.Diagnostics;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Runs the model over a prepared micro-batch on a device lane (<see cref="ModelCache"/>). A pass that breaks on
/// several items is run again an item at a time, so only an item that breaks it alone is charged an attempt
/// (a poison item fails alone; its neighbours succeed). Leases lost while it runs stop it between steps.
/// </summary>
public sealed class MicroBatchPass(ModelCache models, MicroBatchGenerator generator, FaultInjection faults, WorkerActivity activity, ILogger<MicroBatchPass> logger)
{
    /// <summary>
    /// One pass of the model: outcomes with the PNG bytes of each ready item (stored later), rejections for
    /// items whose inputs were bad; null when the micro-batch's leases were lost while it ran (its batch was
    /// canceled, or it is no longer ours). A pass that breaks on several items is run again an item at a time,
    /// so only an item that breaks it alone is charged an attempt.
    /// </summary>
    public async Task<IReadOnlyList<(ItemOutcome Outcome, byte[]? Png)>?> RunAsync(Guid versionId, SamplingParameters sampling,
        PreparedMicroBatch batch, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var outcomes = batch.Inputs.Where(i => i.Error is not null)
            .Select(i => (ItemOutcome.Failed(batch.ClaimOf(i.Item), i.Error!), (byte[]?)null)).ToList();
        var ready = batch.Ready;
        if (ready.Count == 0) return outcomes;

        activity.Set($"generating {ready.Count} items of batch {batch.Claimed[0].BatchId}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, batch.Lost);
        try
        {
            try
            {
                var pngs = await RunPassAsync(versionId, sampling, ready, stop.Token);
                var seconds = clock.Elapsed.TotalSeconds / ready.Count;
                // The output is filled in once stored; until then the outcome holds the item and its time.
                outcomes.AddRange(ready.Select((input, r) => (new ItemOutcome(batch.ClaimOf(input.Item), null, null, null, false, seconds), (byte[]?)pngs[r])));
            }
            catch (PassFailedException e) when (ready.Count > 1)
            {
                logger.LogWarning(e.InnerException, "a pass over {Count} items of batch {Batch} failed; running them one at a time", ready.Count, batch.Claimed[0].BatchId);
                foreach (var input in ready) outcomes.Add(await RunAloneAsync(versionId, sampling, batch, input, stop.Token));
            }
            catch (PassFailedException e)
            {
                logger.LogWarning(e.InnerException, "the pass of item {Item} failed", ready[0].Item.ItemId);
                outcomes.Add((ItemOutcome.Broke(batch.ClaimOf(ready[0].Item), BrokeReason), null));
            }
            return outcomes;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            logger.LogInformation("micro-batch of batch {Batch} stopped: its leases are gone (canceled, or no longer ours)", batch.Claimed[0].BatchId);
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

    private const string BrokeReason = "the model's pass failed on this item (the worker's log has the details)";

    private async Task<(ItemOutcome, byte[]?)> RunAloneAsync(Guid versionId, SamplingParameters sampling, PreparedMicroBatch batch, ItemInputs input,
        CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var png = (await RunPassAsync(versionId, sampling, [input], cancellation))[0];
            return (new ItemOutcome(batch.ClaimOf(input.Item), null, null, null, false, clock.Elapsed.TotalSeconds), png);
        }
        catch (PassFailedException e)
        {
            logger.LogWarning(e.InnerException, "the pass of item {Item} failed on its own", input.Item.ItemId);
            return (ItemOutcome.Broke(batch.ClaimOf(input.Item), BrokeReason), null);
        }
    }

    /// <summary>The model's pass over <paramref name="items"/>; what the pass itself throws comes out as a <see cref="PassFailedException"/>.</summary>
    private Task<IReadOnlyList<byte[]>> RunPassAsync(Guid versionId, SamplingParameters sampling, IReadOnlyList<ItemInputs> items, CancellationToken cancellation) =>
        models.UseAsync(versionId, model =>
        {
            try
            {
                faults.ThrowIfPoisoned(items.Select(i => i.Item));
                return generator.Generate(model, items, sampling, versionId.ToString(), cancellation, () => faults.Reach(FaultStage.Sampling));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new PassFailedException(e);
            }
        }, cancellation);
}
