using System.Diagnostics;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Items;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Runs the model over a prepared micro-batch on a device lane (<see cref="ModelCache"/>). The pass begins in the
/// ledger (spending its items' attempts) only once a lane is free, and only on the items still held: an item
/// whose lease was lost while it waited is dropped, not run. A pass that breaks on several items is run again
/// an item at a time, so only an item that breaks it alone is charged an attempt (a poison item fails alone;
/// its neighbours succeed). Leases lost while it runs stop it between steps.
/// </summary>
public sealed class MicroBatchPass(IServiceScopeFactory scopes, ModelCache models, ClaimPacing pacing, MicroBatchGenerator generator, MicroBatchHandBack handBack,
    FaultInjection faults, WorkerActivity activity, IOptions<WorkerOptions> options, ILogger<MicroBatchPass> logger)
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
        var outcomes = batch.Inputs.Where(i => i.Error is not null)
            .Select(i => (ItemOutcome.Failed(batch.ClaimOf(i.Item), i.Error!), (byte[]?)null)).ToList();
        if (batch.Ready.Count == 0)
        {
            batch.Started();
            return outcomes;
        }

        // The model is downloaded (the first time) before a lane is taken, so passes of models already here go on meanwhile.
        PacingSlot lane;
        IReadOnlyList<ItemInputs> ready;
        try
        {
            await models.DownloadAsync(versionId, cancellation);
            lane = await pacing.WaitForLaneAsync(cancellation);
        }
        catch (UnknownModelVersionException e)
        {
            batch.Started();
            return batch.Claimed.Select(c => (ItemOutcome.Failed(c, e.Message), (byte[]?)null)).ToList();
        }
        catch
        {
            batch.Started();
            throw;
        }
        using var laneHeld = lane;
        try
        {
            ready = await BeginAsync(batch, cancellation);
        }
        finally
        {
            batch.Started();
        }
        if (ready.Count == 0) return outcomes;

        var clock = Stopwatch.StartNew();
        activity.Set($"generating {ready.Count} items of batch {batch.Claimed[0].BatchId}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, batch.Lost);
        try
        {
            try
            {
                var pngs = await RunPassAsync(versionId, sampling, batch, ready, stop.Token);
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
            logger.LogWarning("the pass over {Count} items of batch {Batch} stopped: their leases are gone (canceled, or given on while this worker was away); nothing of it is written",
                ready.Count, batch.Claimed[0].BatchId);
            // Those that nobody took in the meantime (the leases only lapsed) are handed back with their attempt.
            await handBack.ReleaseAsync(batch.Claimed);
            return null;
        }
        finally
        {
            activity.Set(null);
        }
    }

    /// <summary>
    /// Begins the pass of the ready items still held, which spends their attempts. Those no longer held, or all of
    /// them when their leases lapsed while they waited (this worker was paused), are dropped: the log says so, and
    /// any still held after all are handed back at once rather than left to their leases.
    /// </summary>
    private async Task<IReadOnlyList<ItemInputs>> BeginAsync(PreparedMicroBatch batch, CancellationToken cancellation)
    {
        var settings = options.Value;
        var begun = new HashSet<Guid>();
        if (!batch.CheckLost())
        {
            await using var scope = scopes.CreateAsyncScope();
            begun.UnionWith(await scope.ServiceProvider.GetRequiredService<ItemLedger>()
                .BeginAsync(batch.Ready.Select(i => batch.ClaimOf(i.Item)).ToList(), settings.Name, settings.ItemLease, cancellation));
        }
        var dropped = batch.Ready.Where(i => !begun.Contains(i.Item.ItemId)).Select(i => batch.ClaimOf(i.Item)).ToList();
        if (dropped.Count > 0)
        {
            logger.LogWarning("dropped {Count} items of batch {Batch} before their pass: their leases are gone or lapsed (canceled, or given on while this worker was away): {Items}",
                dropped.Count, batch.Claimed[0].BatchId, string.Join(", ", dropped.Select(d => d.Id)));
            await handBack.ReleaseAsync(dropped);
        }
        return batch.Ready.Where(i => begun.Contains(i.Item.ItemId)).ToList();
    }

    private const string BrokeReason = "the model's pass failed on this item (the worker's log has the details)";

    private async Task<(ItemOutcome, byte[]?)> RunAloneAsync(Guid versionId, SamplingParameters sampling, PreparedMicroBatch batch, ItemInputs input,
        CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var png = (await RunPassAsync(versionId, sampling, batch, [input], cancellation))[0];
            return (new ItemOutcome(batch.ClaimOf(input.Item), null, null, null, false, clock.Elapsed.TotalSeconds), png);
        }
        catch (PassFailedException e)
        {
            logger.LogWarning(e.InnerException, "the pass of item {Item} failed on its own", input.Item.ItemId);
            return (ItemOutcome.Broke(batch.ClaimOf(input.Item), BrokeReason), null);
        }
    }

    /// <summary>
    /// The model's pass over <paramref name="items"/> of <paramref name="batch"/>, which checks its leases between
    /// steps; what the pass itself throws comes out as a <see cref="PassFailedException"/>.
    /// </summary>
    private Task<IReadOnlyList<byte[]>> RunPassAsync(Guid versionId, SamplingParameters sampling, PreparedMicroBatch batch, IReadOnlyList<ItemInputs> items,
        CancellationToken cancellation) =>
        models.UseAsync(versionId, model =>
        {
            try
            {
                faults.ThrowIfPoisoned(items.Select(i => i.Item));
                return generator.Generate(model, items, sampling, versionId.ToString(), cancellation, () =>
                {
                    faults.Reach(FaultStage.Sampling);
                    if (batch.CheckLost()) throw new OperationCanceledException("the micro-batch's leases are gone");
                });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new PassFailedException(e);
            }
        }, cancellation);
}
