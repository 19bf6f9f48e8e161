namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// The run's `cdiff serve` and `cdiff worker` processes, each in a slot that keeps one running: a process that
/// ended (killed by a fault or on its own) is replaced, a server at once and a worker after a few seconds, as a
/// supervisor (systemd, Kubernetes) would.
/// </summary>
public sealed class ChaosCluster : IDisposable
{
    private static readonly TimeSpan WorkerRestartDelay = TimeSpan.FromSeconds(5);

    private readonly ChaosSettings settings;
    private readonly IReadOnlyDictionary<string, string?> services;
    private readonly List<Slot> servers = [];
    private readonly List<Slot> workers = [];
    private int unexpectedExits;

    public ChaosCluster(ChaosSettings settings, IReadOnlyDictionary<string, string?> services)
    {
        this.settings = settings;
        this.services = services;
        for (var i = 0; i < settings.Servers; i++) servers.Add(new Slot($"server-{i}", i, isServer: true));
        for (var i = 0; i < settings.Workers; i++) workers.Add(new Slot($"worker-{i}", i, isServer: false));
    }

    public IReadOnlyList<Uri> ServerUris => [.. servers.Select(s => new Uri($"http://127.0.0.1:{settings.ServerPort(s.Index)}/"))];

    public IReadOnlyList<CdiffProcess> Servers => [.. servers.Select(s => s.Current!)];
    public IReadOnlyList<CdiffProcess> Workers => [.. workers.Select(s => s.Current!)];

    /// <summary>Processes that ended without a fault killing them.</summary>
    public int UnexpectedExits => unexpectedExits;

    public void Start()
    {
        foreach (var slot in servers.Concat(workers)) Launch(slot);
    }

    /// <summary>Until every server answers HTTP (any status: /health says 503 while a service is down).</summary>
    public async Task WaitForServersAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        foreach (var uri in ServerUris)
            while (true)
            {
                try
                {
                    using var _ = await http.GetAsync(new Uri(uri, "health"), cancellation);
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
                {
                    if (DateTime.UtcNow > deadline) throw new TimeoutException($"the server at {uri} did not answer within {timeout} (logs: {settings.LogDirectory})");
                    await Task.Delay(250, cancellation);
                }
            }
    }

    /// <summary>Replaces ended processes until canceled.</summary>
    public async Task SuperviseAsync(CancellationToken cancellation)
    {
        while (!cancellation.IsCancellationRequested)
        {
            foreach (var slot in servers.Concat(workers)) Supervise(slot);
            await Task.Delay(250, cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Supervise(Slot slot)
    {
        var process = slot.Current!;
        if (!process.HasExited) return;
        if (slot.ExitSeenAt is null)
        {
            slot.ExitSeenAt = DateTime.UtcNow;
            if (!process.KilledByFault)
            {
                Interlocked.Increment(ref unexpectedExits);
                ChaosLog.Write($"{process.Name} ended by itself ({process.ExitDescription}); see {LogFile(slot)}");
            }
        }
        if (!slot.IsServer && DateTime.UtcNow - slot.ExitSeenAt < WorkerRestartDelay) return;
        process.Dispose();
        Launch(slot);
        ChaosLog.Write($"restarted {slot.Current!.Name}");
    }

    private void Launch(Slot slot)
    {
        slot.Generation++;
        slot.ExitSeenAt = null;
        var name = $"chaos-{slot.Role}.{slot.Generation}";
        var configuration = new Dictionary<string, string?>(services)
        {
            ["Recovery:Interval"] = $"{settings.RecoveryInterval}",
            ["Recovery:SweepOutputsAfter"] = $"{settings.SweepOutputsAfter}",
            ["Recovery:RedispatchItemsAfter"] = $"{settings.RedispatchItemsAfter}",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (slot.IsServer)
        {
            configuration["Server:Urls"] = $"http://127.0.0.1:{settings.ServerPort(slot.Index)}";
        }
        else
        {
            configuration["Worker:Name"] = name;
            configuration["Worker:Device"] = "cpu";
            configuration["Worker:Train"] = "false";
            configuration["Worker:MicroBatchSize"] = $"{settings.MicroBatch}";
            // One model pass at a time per worker: several workers already share the machine's cores.
            configuration["Worker:DeviceLanes"] = "1";
            configuration["Worker:ItemLease"] = $"{settings.ItemLease}";
            configuration["Worker:CacheDirectory"] = Path.Combine(settings.Directory, "workers", name);
            configuration["Worker:FaultDirectory"] = settings.FaultDirectory;
            configuration["Worker:PoisonPrompt"] = ChaosSettings.PoisonMarker;
            configuration["CDIFF_THREADS"] = "1";
        }
        slot.Current = new CdiffProcess(name, slot.IsServer ? "serve" : "worker", configuration, LogFile(slot));
    }

    private string LogFile(Slot slot) => Path.Combine(settings.LogDirectory, $"{slot.Role}.log");

    public void Dispose()
    {
        foreach (var slot in servers.Concat(workers)) slot.Current?.Dispose();
    }

    private sealed class Slot(string role, int index, bool isServer)
    {
        public string Role { get; } = role;
        public int Index { get; } = index;
        public bool IsServer { get; } = isServer;
        public CdiffProcess? Current { get; set; }
        public int Generation { get; set; }
        public DateTime? ExitSeenAt { get; set; }
    }
}
