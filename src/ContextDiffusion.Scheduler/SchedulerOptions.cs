namespace ContextDiffusion.Scheduler;

/// <summary>Configuration section "Scheduler": the Quartz cluster this server joins, retries, and the retraining follow-up.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>A server with false serves the API (schedules can still be edited) but fires nothing.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The cluster's name: every server sharing the database and this name is one scheduler; each firing runs on one of them.</summary>
    public string InstanceName { get; set; } = "cdiff";

    /// <summary>This node's id in the cluster, unique; AUTO makes one from the host name and the time.</summary>
    public string InstanceId { get; set; } = "AUTO";

    /// <summary>Jobs this node runs at once.</summary>
    public int Threads { get; set; } = 4;

    /// <summary>How often a node tells the cluster it is alive; a node silent for longer has its running jobs recovered by another.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>A firing later than this counts as missed, and the schedule's misfire policy applies.</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest a node sleeps when it has nothing due: how soon it notices a trigger another node added
    /// (its own additions wake it at once).
    /// </summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A failed run is retried after each of these delays in turn, then left failed.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)];

    /// <summary>How often retraining cycles are moved on (training done: evaluate; evaluations done: decide).</summary>
    public TimeSpan RetrainFollowUpInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fire times shown per schedule.</summary>
    public int NextFireTimes { get; set; } = 5;

    public PromotionPolicyOptions Promotion { get; set; } = new();
}
