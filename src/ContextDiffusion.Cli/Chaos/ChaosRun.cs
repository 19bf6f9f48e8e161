using System.Collections.Concurrent;
using System.Security.Cryptography;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// One `cdiff chaos` run: its own services, a migrated database with a writer key and a random tiny model, servers
/// and workers, a subscriber, then batches submitted while faults are injected one after another, and at the end
/// the invariants over PostgreSQL, S3 and the events received. Everything it started is stopped again, also on Ctrl+C.
/// </summary>
public sealed class ChaosRun(ChaosSettings settings)
{
    /// <summary>Query maps (and as many photos) uploaded from the dataset: a few are enough, the work is in the items.</summary>
    private const int DistinctImages = 4;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);

    /// <summary>How long the settling steps may take after the batches completed: the sweep, the last events.</summary>
    private static readonly TimeSpan SettlePatience = TimeSpan.FromSeconds(90);

    private readonly Random random = new(settings.Seed);
    private readonly string runId = Guid.NewGuid().ToString("N")[..12];
    private readonly ConcurrentDictionary<Guid, int> accepted = new();
    private readonly Dictionary<FaultKind, int> injected = [];
    private volatile ChaosCounts counts = new(0, 0, 0, 0, 0, 0, 0, 0);
    private volatile bool submitting = true;
    private int faultsDone;
    private int faultsOnRunningWork;

    public async Task<int> RunAsync(CancellationToken cancellation)
    {
        var services = new ChaosServices(RepositoryRoot.Find(), settings);
        await ResetDirectoryAsync(services);
        try
        {
            ChaosLog.Write($"starting PostgreSQL, RabbitMQ and s3rver in {settings.ServicesDirectory} (ports {settings.PortBase}+)");
            await services.UpAsync(cancellation);
            var configuration = services.Configuration();
            await using var provider = PipelineEnvironment.Services(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build());
            var apiKey = await PrepareAsync(provider, cancellation);
            using var cluster = new ChaosCluster(settings, configuration);
            using var stopSupervising = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            cluster.Start();
            var supervising = cluster.SuperviseAsync(stopSupervising.Token);
            try
            {
                ChaosLog.Write($"{settings.Servers} servers and {settings.Workers} workers started (item lease {settings.ItemLease}, recovery every {settings.RecoveryInterval}, " +
                               $"outputs swept {settings.SweepOutputsAfter} after completion, pending items re-queued after {settings.RedispatchItemsAfter}); logs in {settings.LogDirectory}");
                return await RunWorkAsync(services, configuration, provider, cluster, apiKey, cancellation);
            }
            finally
            {
                await stopSupervising.CancelAsync();
                await supervising;
                if (cluster.UnexpectedExits > 0) ChaosLog.Write($"{cluster.UnexpectedExits} server or worker processes ended without a fault killing them (see the logs)");
            }
        }
        finally
        {
            if (settings.Keep)
                ChaosLog.Write($"--keep: the services still run; stop them with CDIFF_SERVICES_DIR={settings.ServicesDirectory} and the ports above, or `cdiff chaos` again");
            else
                await services.DownAsync();
        }
    }

    /// <summary>A fresh folder: a previous run's services are stopped (it may have been killed) and its data removed.</summary>
    private async Task ResetDirectoryAsync(ChaosServices services)
    {
        if (Directory.Exists(settings.ServicesDirectory)) await services.DownAsync();
        if (Directory.Exists(settings.Directory)) Directory.Delete(settings.Directory, recursive: true);
        Directory.CreateDirectory(settings.FaultDirectory);
        Directory.CreateDirectory(settings.LogDirectory);
    }

    /// <summary>Migrates the database, makes the buckets, a writer key and the model; returns the key.</summary>
    private async Task<string> PrepareAsync(IServiceProvider provider, CancellationToken cancellation)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        await db.Database.MigrateAsync(cancellation);
        await provider.GetRequiredService<ObjectStore>().EnsureBucketsAsync(cancellation);
        var key = "cdiff_chaos_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await ApiKeys.EnsureAsync(db, "chaos", "chaos", key, ApiRole.Writer, cancellation);
        var model = Path.Combine(settings.Directory, "model");
        RandomTinyModel.Write(model);
        await RandomTinyModel.RegisterAsync(provider, ChaosSettings.ModelName, model);
        return key;
    }

    private async Task<int> RunWorkAsync(ChaosServices services, IReadOnlyDictionary<string, string?> configuration, IServiceProvider provider,
        ChaosCluster cluster, string apiKey, CancellationToken cancellation)
    {
        await cluster.WaitForServersAsync(TimeSpan.FromMinutes(3), cancellation);
        var clients = cluster.ServerUris.Select(uri => new PipelineClient(uri, apiKey)).ToList();
        try
        {
            var (queries, photos) = await UploadImagesAsync(clients[0], cancellation);
            // Subscribed before the first submit, so that no event of the run is published before its queue is bound.
            await using var events = await ChaosEvents.StartAsync(new Uri(configuration["RabbitMq:Uri"]!), $"chaos-events-{runId}", cancellation);
            var batches = ChaosBatches.Plan(settings, queries, photos, runId, random);
            var submitter = new ChaosSubmitter(clients);
            var database = new ChaosDatabase(provider);
            var injector = new FaultInjector(settings, services, cluster, submitter, database, () => submitting, random);
            var deadline = DateTime.UtcNow + settings.Deadline;

            using var stopMonitoring = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            var monitoring = MonitorAsync(database, batches.Count, stopMonitoring.Token);
            await Task.WhenAll(SubmitAllAsync(batches, submitter, injector, cancellation), InjectAllAsync(injector, cancellation));
            ChaosLog.Write($"faults over, {faultsOnRunningWork} of {settings.Faults} injected while items were unfinished (fewer: raise --steps); waiting for the batches to complete");
            if (await WaitForCompletionAsync(batches.Count, deadline, cancellation))
            {
                // Outputs of attempts that lost their lease are swept a while after completion; only then may no orphan remain.
                if (!await UntilAsync(() => counts.Swept == batches.Count, DateTime.UtcNow + SettlePatience, cancellation))
                    ChaosLog.Write($"not every batch's outputs were swept within {SettlePatience.TotalSeconds:F0} s");
                await WaitForEventsAsync(database, events, cancellation);
            }
            await stopMonitoring.CancelAsync();
            await monitoring;

            var verdict = InvariantChecker.Check(await CollectAsync(database, provider.GetRequiredService<ObjectStore>(), events, cancellation));
            foreach (var line in ChaosReport.Violations(verdict)) Console.Error.WriteLine(line);
            Console.WriteLine(ChaosReport.Line(verdict, injected, accepted.Count));
            Console.WriteLine(ChaosReport.AttemptsLine(verdict, injector.Holdings));
            return verdict.Holds ? 0 : 1;
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>The first dataset items' query maps and photos, through the API as any client uploads them.</summary>
    private async Task<(IReadOnlyList<ObjectReference> Queries, IReadOnlyList<ObjectReference> Photos)> UploadImagesAsync(PipelineClient client, CancellationToken cancellation)
    {
        var manifest = DatasetManifest.Load(settings.Data);
        var items = manifest.Items.Take(DistinctImages).ToList();
        async Task<IReadOnlyList<ObjectReference>> Upload(IEnumerable<string> relative)
        {
            var result = await client.UploadImagesAsync(relative.Select(r => (Path.GetFileName(r), manifest.PathOf(r))).ToList(), cancellation);
            if (result.Rejected.Count > 0) throw new InvalidDataException($"the server refused {result.Rejected[0].FileName}: {result.Rejected[0].Reason}");
            return [.. result.Uploaded.Select(u => u.Image)];
        }
        return (await Upload(items.Select(i => i.QueryMap)), await Upload(items.Select(i => i.Image)));
    }

    /// <summary>
    /// Batches follow the faults, so that faults land on running work however fast the machine is: the next batch is
    /// sent once its share of the faults is done, when the work runs dry, or when a server-kill fault waits for a submit.
    /// The work runs dry when what is left fits in what the workers hold at once: held back longer, a batch whose
    /// fresh items are done leaves only the items an earlier fault sent back, and every fault of the batch's share
    /// then lands on those same items (a stage-hook kill waits for the one worker still running them), which no
    /// producer that keeps its workers fed would see.
    /// </summary>
    private async Task SubmitAllAsync(IReadOnlyList<SubmitBatchRequest> batches, ChaosSubmitter submitter, FaultInjector injector, CancellationToken cancellation)
    {
        try
        {
            for (var k = 0; k < batches.Count; k++)
            {
                if (k > 0)
                    await UntilAsync(() => Volatile.Read(ref faultsDone) * batches.Count >= k * settings.Faults || injector.WaitingForSubmit ||
                                           (counts.Batches == accepted.Count && counts.Unfinished <= settings.HeldAtOnce), DateTime.MaxValue, cancellation);
                var answer = await submitter.SubmitAsync(batches[k], cancellation);
                accepted[answer.BatchId] = answer.Items;
                ChaosLog.Write($"submitted {batches[k].Name}: batch {answer.BatchId}, {answer.Items} items{(answer.Created ? "" : " (made by an earlier try)")}");
            }
        }
        finally
        {
            submitting = false;
        }
    }

    /// <summary>The faults one after another, each a few seconds after the last, cycling through the kinds.</summary>
    private async Task InjectAllAsync(FaultInjector injector, CancellationToken cancellation)
    {
        for (var n = 0; n < settings.Faults; n++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1 + 4 * random.NextDouble()), cancellation);
            // On running work, unless every batch was sent and none is left.
            await UntilAsync(() => counts.Unfinished > 0 || !submitting, DateTime.MaxValue, cancellation);
            if (counts.Unfinished > 0) faultsOnRunningWork++;
            var (kind, occurrence) = FaultKinds.Nth(n);
            var what = await injector.InjectAsync(kind, occurrence, cancellation);
            injected[kind] = injected.GetValueOrDefault(kind) + 1;
            Interlocked.Increment(ref faultsDone);
            ChaosLog.Write($"fault {n + 1}/{settings.Faults} {FaultKinds.Name(kind)}: {what}");
        }
    }

    /// <summary>Keeps <see cref="counts"/> fresh (the last known while PostgreSQL is down) and prints progress now and then.</summary>
    private async Task MonitorAsync(ChaosDatabase database, int batches, CancellationToken cancellation)
    {
        var printed = DateTime.MinValue;
        var failing = false;
        while (!cancellation.IsCancellationRequested)
        {
            try
            {
                counts = await database.CountsAsync([.. accepted.Keys], DateTimeOffset.UtcNow - settings.StuckAfter, cancellation);
                failing = false;
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                if (!failing) ChaosLog.Write($"progress queries fail ({e.Message.Split('\n')[0]}); keeping the last counts");
                failing = true;
            }
            if (DateTime.UtcNow - printed > ProgressEvery)
            {
                printed = DateTime.UtcNow;
                var c = counts;
                ChaosLog.Write($"batches {c.Batches}/{batches} sent, {c.Completed} completed, {c.Swept} swept; items pending={c.Pending} running={c.Running} " +
                               $"succeeded={c.Succeeded} failed={c.Failed}; faults {Volatile.Read(ref faultsDone)}/{settings.Faults}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Until every batch completed (true), or until an item is stuck (running for longer than the bound since the faults
    /// ended) or the deadline passed (false: what is unfinished is then counted as stuck or lost).
    /// </summary>
    private async Task<bool> WaitForCompletionAsync(int batches, DateTime deadline, CancellationToken cancellation)
    {
        var stuckFrom = DateTime.UtcNow + settings.StuckAfter;
        while (true)
        {
            var now = counts;
            if (now.Completed == batches) return true;
            if (DateTime.UtcNow > stuckFrom && now.LongRunning > 0)
            {
                ChaosLog.Write($"{now.LongRunning} items have been running for more than {settings.StuckAfter.TotalSeconds:F0} s since the faults ended: stuck");
                return false;
            }
            if (DateTime.UtcNow > deadline)
            {
                ChaosLog.Write($"the batches did not complete within the deadline ({settings.Deadline})");
                return false;
            }
            await Task.Delay(Poll, cancellation);
        }
    }

    /// <summary>Until every succeeded item's ItemSucceeded and every batch's BatchCompleted arrived (at least once), or the patience ran out.</summary>
    private async Task WaitForEventsAsync(ChaosDatabase database, ChaosEvents events, CancellationToken cancellation)
    {
        var succeeded = (await database.ItemsAsync([.. accepted.Keys], cancellation)).Where(i => i.State == ItemState.Succeeded).Select(i => i.Id).ToHashSet();
        bool AllArrived()
        {
            var received = events.Deliveries;
            return succeeded.IsSubsetOf(received.Where(e => e.Type == RecordedEvent.ItemSucceeded).Select(e => e.ItemId!.Value)) &&
                   accepted.Keys.All(b => received.Any(e => e.Type == RecordedEvent.BatchCompleted && e.BatchId == b));
        }
        if (!await UntilAsync(AllArrived, DateTime.UtcNow + SettlePatience, cancellation))
            ChaosLog.Write($"some events had not arrived {SettlePatience.TotalSeconds:F0} s after the batches completed");
    }

    /// <summary>The rows, every object under the batches' output prefixes with its SHA-256, and the events received.</summary>
    private async Task<ChaosEvidence> CollectAsync(ChaosDatabase database, ObjectStore store, ChaosEvents events, CancellationToken cancellation)
    {
        var batches = await database.BatchesAsync(accepted, cancellation);
        var items = await database.ItemsAsync([.. accepted.Keys], cancellation);
        var bucket = store.Options.OutputsBucket;
        var objects = new ConcurrentBag<StoredObject>();
        foreach (var batch in accepted.Keys)
        {
            var keys = await store.ListAsync(bucket, ObjectKeys.OutputPrefix(batch), cancellation);
            await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (key, token) =>
            {
                var bytes = await store.GetBytesAsync(new ObjectReference(bucket, key), cancellation: token);
                objects.Add(new StoredObject(batch, key, Convert.ToHexStringLower(SHA256.HashData(bytes))));
            });
        }
        return new ChaosEvidence(batches, items, [.. objects], events.Deliveries);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (true) or <paramref name="deadline"/> passes (false).</summary>
    private static async Task<bool> UntilAsync(Func<bool> condition, DateTime deadline, CancellationToken cancellation)
    {
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(Poll, cancellation);
        }
        return true;
    }
}
