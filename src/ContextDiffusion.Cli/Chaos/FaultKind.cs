namespace ContextDiffusion.Cli.Chaos;

/// <summary>The faults injected while batches run (in the result line's order); poison items are planned into the batches instead.</summary>
public enum FaultKind
{
    WorkerKill,
    WorkerPause,
    ServerKill,
    RabbitMqKill,
    PostgresKill,
    S3Outage,
}

public static class FaultKinds
{
    /// <summary>
    /// The order a run cycles through the kinds. A server kill comes first, while batches are still to be sent: it
    /// aims at a submit in flight, and later in a run every batch may have been sent already.
    /// </summary>
    private static readonly FaultKind[] Cycle =
        [FaultKind.ServerKill, FaultKind.WorkerKill, FaultKind.WorkerPause, FaultKind.RabbitMqKill, FaultKind.PostgresKill, FaultKind.S3Outage];

    /// <summary>The name in the result line (worker_kill, ..., s3_outage).</summary>
    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.WorkerKill => "worker_kill",
        FaultKind.WorkerPause => "worker_pause",
        FaultKind.ServerKill => "server_kill",
        FaultKind.RabbitMqKill => "rabbitmq_kill",
        FaultKind.PostgresKill => "postgres_kill",
        FaultKind.S3Outage => "s3_outage",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The <paramref name="index"/>-th fault of a run and how many of its kind came before it.</summary>
    public static (FaultKind Kind, int Occurrence) Nth(int index) => (Cycle[index % Cycle.Length], index / Cycle.Length);
}
