namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// What one `cdiff chaos` run does: its work, its faults, its processes, and where its own services live.
/// The timers are short on purpose, so that a killed or paused worker's items move on within seconds.
/// </summary>
public sealed record ChaosSettings
{
    /// <summary>Items whose prompt holds this make the model pass throw (the workers' Worker:PoisonPrompt).</summary>
    public const string PoisonMarker = "chaos-poison";

    /// <summary>The model the batches ask for: the tiny preset with random weights.</summary>
    public const string ModelName = "chaos-tiny";

    public int Items { get; init; } = 1000;
    public int Batches { get; init; } = 5;

    /// <summary>Faults injected while the batches run, besides the one poison item per batch.</summary>
    public int Faults { get; init; } = 20;

    public int Seed { get; init; }
    public int Workers { get; init; } = 3;
    public int Servers { get; init; } = 2;

    /// <summary>Sampling steps per item: what makes an item slow enough for faults to land while it runs.</summary>
    public int Steps { get; init; } = 20;

    /// <summary>The S3 outages' lengths, used in turn.</summary>
    public IReadOnlyList<int> S3OutageSeconds { get; init; } = [5, 30, 120];

    /// <summary>PostgreSQL on +432, RabbitMQ on +672 (and up to +685), S3 on +569, the servers on +80, +81: far from the shared services (55432, 55672, 54569).</summary>
    public int PortBase { get; init; } = 56000;

    /// <summary>The run's folder: services' data, process logs, worker caches, the fault hooks' folder. Wiped at the start.</summary>
    public required string Directory { get; init; }

    public required string Data { get; init; }

    /// <summary>How long the batches may take, faults included, before what is unfinished counts as lost or stuck.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Leave the services running (and their data) at the end.</summary>
    public bool Keep { get; init; }

    public TimeSpan ItemLease { get; } = TimeSpan.FromSeconds(10);
    public TimeSpan RecoveryInterval { get; } = TimeSpan.FromSeconds(2);
    public TimeSpan SweepOutputsAfter { get; } = TimeSpan.FromSeconds(5);

    /// <summary>A pending item whose command RabbitMQ lost in a crash is queued again after this (30 min in production).</summary>
    public TimeSpan RedispatchItemsAfter { get; } = TimeSpan.FromMinutes(1);

    public int MicroBatch { get; } = 4;

    /// <summary>What the workers hold at most at once: per worker, a micro-batch in its lane, one waiting and one being stored.</summary>
    public int HeldAtOnce => Workers * 3 * MicroBatch;

    /// <summary>
    /// An item still running this long after the faults ended (or after its attempt began, if later) is stuck: a dead
    /// worker's items are back within a lease and two recovery passes, plus half a minute for a pass on a loaded machine.
    /// </summary>
    public TimeSpan StuckAfter => ItemLease + 2 * RecoveryInterval + TimeSpan.FromSeconds(30);

    public int ServerPort(int slot) => PortBase + 80 + slot;
    public string ServicesDirectory => Path.Combine(Directory, "services");
    public string FaultDirectory => Path.Combine(Directory, "faults");
    public string LogDirectory => Path.Combine(Directory, "logs");
}
