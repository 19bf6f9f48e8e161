using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Items;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// Takes a delivery of GenerateItems commands (MassTransit collects several within a short window), groups
/// their items by model version and sampling parameters, and works through each group a micro-batch at a
/// time: claim up to a micro-batch of items in PostgreSQL (a lease, renewed by <see cref="ItemLeaseKeeper"/>
/// while the micro-batch is in flight), fetch and decode their images, begin and run the pass, store each
/// output under a key of its claim, record the outcomes. The stages overlap: while the model runs one
/// micro-batch, the next is claimed and decoded and the previous one stored and recorded. Claims are paced
/// worker-wide (<see cref="ClaimPacing"/>): besides the passes running, at most one micro-batch waits to run.
/// Every claimed micro-batch ends in exactly one of: recorded; handed back unstarted (shutdown, or a storage
/// or database failure before its pass); abandoned because its lease is gone (nothing more is written, and
/// recovery or another attempt owns its items). No exit path leaves a lease renewed by nobody's work.
/// </summary>
public sealed class GenerateItemsConsumer(
    IServiceScopeFactory scopes, ClaimPacing pacing, ItemInputLoader loader, MicroBatchPass pass, MicroBatchRecorder recorder, MicroBatchHandBack handBack,
    FaultInjection faults, IOptions<WorkerOptions> options, ILogger<GenerateItemsConsumer> logger) : IConsumer<Batch<GenerateItems>>
{
    /// <summary>How long a delivery that met an outage waits before it is acknowledged, so its items do not come straight back into the outage.</summary>
    private static readonly TimeSpan OutagePause = TimeSpan.FromSeconds(5);

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
            try
            {
                await WorkThroughAsync(versionId, sampling, candidates, cancellation);
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                // Storage, the database or the model's loading failed. The micro-batches in flight were handed back;
                // the items not reached yet get a new command, so acknowledging this delivery strands nothing. Should
                // that fail too, the delivery is retried by MassTransit and its claims skip what is already done.
                logger.LogWarning("generation of batch {Batch} paused by a failure, its items handed on: {Error}", group.First().Command.BatchId, e.Message);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ItemLedger>().RequeueAsync(candidates.Select(c => c.ItemId).ToList(), CancellationToken.None);
                await Task.Delay(OutagePause, cancellation);
            }
        }
    }

    /// <summary>Claims, generates, stores and records the candidates a micro-batch at a time, the three stages overlapping.</summary>
    private async Task WorkThroughAsync(Guid versionId, SamplingParameters sampling, Queue<GenerationItem> candidates, CancellationToken cancellation)
    {
        var next = PrepareAsync(candidates, cancellation);
        var recording = Task.CompletedTask;
        try
        {
            while (await next is { } current)
            {
                next = PrepareAsync(candidates, cancellation);
                IReadOnlyList<(ItemOutcome Outcome, byte[]? Png)>? generated;
                try
                {
                    generated = await pass.RunAsync(versionId, sampling, current, cancellation);
                }
                catch
                {
                    await handBack.HandBackAsync(current);
                    throw;
                }
                await recording;
                recording = recorder.StoreAndRecordAsync(versionId, current, generated, cancellation);
            }
            await recording;
        }
        finally
        {
            // However the loop ended, the micro-batch being recorded settles on its own, and the one prepared but
            // never started is handed back.
            await recording.ContinueWith(_ => { }, TaskScheduler.Default);
            if (await next.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } unstarted)
                await handBack.HandBackAsync(unstarted);
        }
    }

    /// <summary>
    /// Once no other micro-batch of this worker waits to run (<see cref="ClaimPacing"/>), claims candidates until
    /// a micro-batch is full or none is left (those taken or final are skipped), then fetches and decodes their
    /// images; null when nothing was left to claim. When fetching fails, what it claimed is handed back before
    /// the failure is thrown.
    /// </summary>
    private async Task<PreparedMicroBatch?> PrepareAsync(Queue<GenerationItem> candidates, CancellationToken cancellation)
    {
        var waiting = await pacing.WaitToClaimAsync(cancellation);
        try
        {
            return await ClaimAndLoadAsync(candidates, waiting, cancellation);
        }
        catch
        {
            waiting.Dispose();
            throw;
        }
    }

    private async Task<PreparedMicroBatch?> ClaimAndLoadAsync(Queue<GenerationItem> candidates, PacingSlot waiting, CancellationToken cancellation)
    {
        var settings = options.Value;
        var claimed = new List<ClaimedItem>();
        var byId = new Dictionary<Guid, GenerationItem>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var ledger = scope.ServiceProvider.GetRequiredService<ItemLedger>();
            while (claimed.Count < settings.MicroBatchSize && candidates.Count > 0)
            {
                var next = new List<GenerationItem>();
                while (next.Count < settings.MicroBatchSize - claimed.Count && candidates.TryDequeue(out var item)) next.Add(item);
                foreach (var item in next) byId[item.ItemId] = item;
                try
                {
                    claimed.AddRange(await ledger.ClaimAsync(next.Select(i => i.ItemId).ToList(), settings.Name, settings.ItemLease, cancellation));
                }
                catch
                {
                    // Not claimed: still candidates, to be handed on with the rest; what was claimed goes back.
                    foreach (var item in next) candidates.Enqueue(item);
                    await handBack.ReleaseAsync(claimed);
                    throw;
                }
            }
        }
        if (claimed.Count == 0)
        {
            waiting.Dispose();
            return null;
        }
        var leases = new ItemLeaseKeeper(scopes, claimed, settings.Name, settings.ItemLease, logger);
        faults.Reach(FaultStage.Claim);
        IReadOnlyList<ItemInputs> inputs;
        try
        {
            inputs = await loader.LoadAsync(claimed.Select(c => byId[c.Id]).ToList(), cancellation);
        }
        catch
        {
            await leases.DisposeAsync();
            await handBack.ReleaseAsync(claimed);
            throw;
        }
        faults.Reach(FaultStage.Decode);
        return new PreparedMicroBatch(claimed, inputs, leases, waiting);
    }
}
