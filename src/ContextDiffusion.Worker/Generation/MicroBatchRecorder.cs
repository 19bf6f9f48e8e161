using System.Globalization;
using System.Security.Cryptography;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// The last stage of a micro-batch: its outputs to storage under keys of their attempt, its outcomes to the
/// ledger, guarded by owner and attempt, so an attempt that outlived its lease writes nothing anyone reads.
/// </summary>
public sealed class MicroBatchRecorder(IServiceScopeFactory scopes, ObjectStore store, MicroBatchHandBack handBack, FaultInjection faults,
    IOptions<WorkerOptions> options, WorkerActivity activity, ILogger<MicroBatchRecorder> logger)
{
    /// <summary>Outputs uploaded at once: storage round trips, not bandwidth, bound small images.</summary>
    private const int StoreParallelism = 8;

    /// <summary>
    /// Uploads the outputs under keys of their attempt, then records every outcome in one transaction (with its
    /// events), both retried through outages while the leases are held; outputs whose record was refused (the
    /// attempt lost its lease) are removed. Never throws: a micro-batch it cannot finish is handed back (the
    /// worker is stopping) or left to its lease. Frees the inputs.
    /// </summary>
    public async Task StoreAndRecordAsync(Guid versionId, PreparedMicroBatch batch, IReadOnlyList<(ItemOutcome Outcome, byte[]? Png)>? generated, CancellationToken cancellation)
    {
        try
        {
            // Nothing generated (the pass stopped, or every item was dropped before it): nothing to store or record.
            if (generated is null || generated.Count == 0) return;
            if (batch.CheckLost())
            {
                logger.LogWarning("outputs of {Count} items of batch {Batch} discarded: their leases are gone (canceled, or given on while this worker was away)",
                    generated.Count, batch.Claimed[0].BatchId);
                await handBack.ReleaseAsync(batch.Claimed);
                return;
            }
            var outcomes = new ItemOutcome[generated.Count];
            var first = 0;
            var ending = EndPassAsync(generated.Where(g => g.Png is not null).Select(g => g.Outcome.Item).ToList(), cancellation);
            var (stored, _) = await HeldRetry.RunAsync(token => Parallel.ForAsync(0, generated.Count,
                new ParallelOptions { MaxDegreeOfParallelism = StoreParallelism, CancellationToken = token }, async (i, t) =>
                {
                    outcomes[i] = await StoreAsync(versionId, batch, generated[i].Outcome, generated[i].Png, t);
                    if (generated[i].Png is not null && Interlocked.Exchange(ref first, 1) == 0) faults.Reach(FaultStage.Upload);
                }), "storing outputs", batch.Lost, cancellation, logger);
            await ending;
            if (!stored)
            {
                await SettleUnfinishedAsync(batch, cancellation);
                return;
            }
            IReadOnlyList<ItemOutcome> recorded = [];
            var (done, retried) = await HeldRetry.RunAsync(async token =>
            {
                await using var scope = scopes.CreateAsyncScope();
                recorded = await scope.ServiceProvider.GetRequiredService<ItemLedger>().CompleteAsync(outcomes, options.Value.Name, versionId, batch.Seeds, token);
            }, "recording outcomes", batch.Lost, cancellation, logger);
            if (!done)
            {
                await SettleUnfinishedAsync(batch, cancellation);
                return;
            }
            faults.Reach(FaultStage.Record);
            activity.ItemsDone(recorded.Count);
            // Refused outcomes lost their lease: their uploads are nobody's. After a failed try the refusal may be
            // this attempt's own earlier commit whose answer was lost, so then the sweep decides instead.
            if (!retried) await RemoveUnrecordedAsync(outcomes, recorded);
        }
        catch (Exception e)
        {
            logger.LogError(e, "storing and recording a micro-batch of batch {Batch} failed; its items are left to their leases", batch.Claimed[0].BatchId);
        }
        finally
        {
            await batch.DisposeAsync();
        }
    }

    /// <summary>
    /// Tells the ledger the pass of the items with an output ended (<see cref="ItemLedger.EndPassAsync"/>), while
    /// their outputs are uploaded. Never throws: should it fail, a crash before the record costs those items an
    /// attempt, as it would have anyway.
    /// </summary>
    private async Task EndPassAsync(IReadOnlyList<ClaimedItem> items, CancellationToken cancellation)
    {
        if (items.Count == 0) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ItemLedger>().EndPassAsync(items, options.Value.Name, cancellation);
        }
        catch (Exception e)
        {
            logger.LogWarning("marking the pass of {Count} items ended failed: {Error}", items.Count, e.Message);
        }
    }

    /// <summary>Stores one output under its claim's key with the SHA-256 of its bytes; an outcome without one passes through.</summary>
    private async Task<ItemOutcome> StoreAsync(Guid versionId, PreparedMicroBatch batch, ItemOutcome outcome, byte[]? png, CancellationToken cancellation)
    {
        if (png is null) return outcome;
        var item = outcome.Item;
        var output = new ObjectReference(store.Options.OutputsBucket, ObjectKeys.Output(item.BatchId, item.Id, item.Claim));
        await store.PutAsync(output, png, "image/png", new Dictionary<string, string>
        {
            ["seed"] = batch.Seeds[item.Id].ToString(CultureInfo.InvariantCulture),
            ["model-version"] = versionId.ToString(),
            ["item"] = item.Id.ToString(),
            ["attempt"] = item.Attempts.ToString(CultureInfo.InvariantCulture),
            ["claim"] = item.Claim.ToString(CultureInfo.InvariantCulture),
        }, cancellation);
        return ItemOutcome.Succeeded(item, output, Convert.ToHexStringLower(SHA256.HashData(png)), outcome.Seconds);
    }

    /// <summary>A stopping worker hands back what it could not finish; a micro-batch whose lease is gone is left as it is.</summary>
    private async Task SettleUnfinishedAsync(PreparedMicroBatch batch, CancellationToken cancellation)
    {
        if (cancellation.IsCancellationRequested && !batch.Lost.IsCancellationRequested) await handBack.ReleaseAsync(batch.Claimed);
    }

    private async Task RemoveUnrecordedAsync(IReadOnlyList<ItemOutcome> outcomes, IReadOnlyList<ItemOutcome> recorded)
    {
        var kept = recorded.Select(o => o.Item.Id).ToHashSet();
        foreach (var output in outcomes.Where(o => o.Output is not null && !kept.Contains(o.Item.Id)).Select(o => o.Output!))
        {
            try
            {
                await store.DeleteAsync(output, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning("removing {Output} (its attempt lost its lease) failed, left to the sweep: {Error}", output, e.Message);
            }
        }
    }
}
