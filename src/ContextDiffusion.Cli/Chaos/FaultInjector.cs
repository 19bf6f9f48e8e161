namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// Injects one fault at a time into the run's processes and services, and returns once it is over (the service is
/// back, the process resumed); the cluster's supervisor restarts killed servers and workers.
/// </summary>
/// <param name="submitsRemain">Whether batches are still to be sent (a server kill waits for one only then).</param>
public sealed class FaultInjector(ChaosSettings settings, ChaosServices services, ChaosCluster cluster, ChaosSubmitter submitter, ChaosDatabase database,
    Func<bool> submitsRemain, Random random)
{
    /// <summary>The worker's fault hooks: a worker reaching one of these stages with `crash-at-{stage}` in the fault folder kills itself.</summary>
    public static readonly string[] Stages = ["claim", "decode", "sampling", "upload", "record"];

    private static readonly TimeSpan HookPatience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SubmitPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ServiceDownFor = TimeSpan.FromSeconds(2);

    private readonly List<WorkerHolding> holdings = [];

    /// <summary>What each killed or paused worker held when the fault struck it (what the fault put back through lease expiry).</summary>
    public IReadOnlyList<WorkerHolding> Holdings => holdings;

    /// <summary>True while a server-kill fault waits for the next submit: the submitter then sends one without waiting its turn.</summary>
    public bool WaitingForSubmit { get; private set; }

    /// <summary>Injects the fault; returns a description of what was done, for the log.</summary>
    public Task<string> InjectAsync(FaultKind kind, int occurrence, CancellationToken cancellation) => kind switch
    {
        FaultKind.WorkerKill => KillWorkerAtStageAsync(Stages[occurrence % Stages.Length], cancellation),
        FaultKind.WorkerPause => PauseWorkerAsync(cancellation),
        FaultKind.ServerKill => KillServerDuringSubmitAsync(cancellation),
        FaultKind.RabbitMqKill => KillServiceAsync("rabbitmq", services.RabbitMqPid, cancellation),
        FaultKind.PostgresKill => KillServiceAsync("postgres", services.PostmasterPid, cancellation),
        FaultKind.S3Outage => StopS3Async(TimeSpan.FromSeconds(settings.S3OutageSeconds[occurrence % settings.S3OutageSeconds.Count]), cancellation),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Arms the hook of <paramref name="stage"/> and waits for a worker to take it and die. Every worker may be the one,
    /// so all are marked as expected to be killed until one is. When none reaches the stage in time (no hook in this
    /// build, or no work at that stage), a random worker is killed with SIGKILL instead.
    /// </summary>
    private async Task<string> KillWorkerAtStageAsync(string stage, CancellationToken cancellation)
    {
        var candidates = cluster.Workers.Where(w => !w.HasExited).ToList();
        foreach (var worker in candidates) worker.KilledByFault = true;
        var hook = Path.Combine(settings.FaultDirectory, $"crash-at-{stage}");
        await File.WriteAllTextAsync(hook, "", cancellation);
        var deadline = DateTime.UtcNow + HookPatience;
        CdiffProcess? victim;
        while ((victim = candidates.FirstOrDefault(w => w.HasExited)) is null && DateTime.UtcNow < deadline)
            await Task.Delay(100, cancellation);
        foreach (var survivor in candidates.Where(w => w != victim)) survivor.KilledByFault = false;
        if (victim is not null) return $"{victim.Name} killed itself at stage {stage}{await HoldingAsync(victim, cancellation)}";

        File.Delete(hook);
        victim = Pick(cluster.Workers);
        victim.KilledByFault = true;
        victim.Kill();
        return $"no worker reached stage {stage} within {HookPatience.TotalSeconds:F0} s; killed {victim.Name} with SIGKILL instead{await HoldingAsync(victim, cancellation)}";
    }

    /// <summary>Notes what a worker that was just killed or stopped holds, for the run's figures and the log line.</summary>
    private async Task<string> HoldingAsync(CdiffProcess victim, CancellationToken cancellation)
    {
        try
        {
            var (held, begun) = await database.HeldByAsync(victim.Name, cancellation);
            holdings.Add(new WorkerHolding(victim.Name, held, begun));
            return $", holding {held} items ({begun} begun)";
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            return $" (what it held could not be read: {e.Message.Split('\n')[0]})";
        }
    }

    /// <summary>SIGSTOP for longer than the item lease plus two recovery passes, so its items are taken over; then SIGCONT, and its late results must change nothing.</summary>
    private async Task<string> PauseWorkerAsync(CancellationToken cancellation)
    {
        var victim = Pick(cluster.Workers);
        var pause = settings.ItemLease + 2 * settings.RecoveryInterval + TimeSpan.FromSeconds(3);
        victim.Send(Signals.Stop);
        string holding;
        try
        {
            holding = await HoldingAsync(victim, cancellation);
            await Task.Delay(pause, cancellation);
        }
        finally
        {
            victim.Send(Signals.Continue);
        }
        return $"{victim.Name} stopped for {pause.TotalSeconds:F0} s{holding}";
    }

    /// <summary>
    /// Kills the server that the next submit goes to, a few milliseconds into the request; the client retries with the
    /// same idempotency key. With no batch left to send, a random server is killed at once.
    /// </summary>
    private async Task<string> KillServerDuringSubmitAsync(CancellationToken cancellation)
    {
        var what = submitsRemain() ? await KillServerInSubmitAsync(cancellation) : null;
        if (what is null)
        {
            var victim = Pick(cluster.Servers);
            victim.KilledByFault = true;
            victim.Kill();
            what = $"no batch left to send; killed {victim.Name}";
        }
        // The supervisor starts its replacement at once; the next fault waits until it answers.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
        await cluster.WaitForServersAsync(TimeSpan.FromMinutes(2), cancellation);
        return what;
    }

    /// <summary>Arms a kill of the server the next submit goes to; null when no submit came within the patience.</summary>
    private async Task<string?> KillServerInSubmitAsync(CancellationToken cancellation)
    {
        var into = TimeSpan.FromMilliseconds(random.Next(50));
        var killed = new TaskCompletionSource<CdiffProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSending(int slot)
        {
            submitter.Sending -= OnSending;
            var server = cluster.Servers[slot];
            server.KilledByFault = true;
            _ = Task.Delay(into, CancellationToken.None).ContinueWith(_ =>
            {
                server.Kill();
                killed.TrySetResult(server);
            }, TaskScheduler.Default);
        }
        submitter.Sending += OnSending;
        WaitingForSubmit = true;
        try
        {
            var victim = await killed.Task.WaitAsync(SubmitPatience, cancellation);
            return $"{victim.Name} killed {into.TotalMilliseconds:F0} ms into a submit";
        }
        catch (TimeoutException)
        {
            submitter.Sending -= OnSending;
            return null;
        }
        finally
        {
            WaitingForSubmit = false;
        }
    }

    /// <summary>SIGKILL to a service's main process and every child it had (PostgreSQL's backends), then services.sh up restarts it.</summary>
    private async Task<string> KillServiceAsync(string name, int pid, CancellationToken cancellation)
    {
        var processes = Signals.ChildrenOf(pid).Prepend(pid).ToList();
        foreach (var process in processes) Signals.Send(process, Signals.Kill);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (processes.Any(Signals.IsAlive) && DateTime.UtcNow < deadline) await Task.Delay(100, cancellation);
        await Task.Delay(ServiceDownFor, cancellation);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await services.UpAsync(cancellation);
        return $"{name} (pid {pid}, {processes.Count} processes) killed with SIGKILL, up again {clock.Elapsed.TotalSeconds:F1} s after services.sh up";
    }

    /// <summary>SIGSTOP of s3rver: connections hang rather than fail, the harder case for clients; SIGCONT after <paramref name="outage"/>.</summary>
    private async Task<string> StopS3Async(TimeSpan outage, CancellationToken cancellation)
    {
        var pid = services.S3Pid;
        Signals.Send(pid, Signals.Stop);
        try
        {
            await Task.Delay(outage, cancellation);
        }
        finally
        {
            Signals.Send(pid, Signals.Continue);
        }
        return $"s3rver stopped for {outage.TotalSeconds:F0} s";
    }

    private CdiffProcess Pick(IReadOnlyList<CdiffProcess> processes)
    {
        var alive = processes.Where(p => !p.HasExited).ToList();
        return alive.Count > 0 ? alive[random.Next(alive.Count)] : processes[random.Next(processes.Count)];
    }
}
