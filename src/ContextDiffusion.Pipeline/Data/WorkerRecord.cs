namespace ContextDiffusion.Pipeline.Data;

/// <summary>A worker process and its heartbeat: the dashboard and the operators see which are alive and on what device.</summary>
public sealed class WorkerRecord
{
    public string Name { get; set; } = "";
    public string Device { get; set; } = "";
    public string Host { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public string? Activity { get; set; }
    public long ItemsDone { get; set; }
}
