namespace ContextDiffusion.Worker;

/// <summary>What this worker is doing now and how many items it finished, for its heartbeat.</summary>
public sealed class WorkerActivity
{
    private long itemsDone;
    private volatile string? current;

    public string? Current => current;
    public long Done => Interlocked.Read(ref itemsDone);

    public void Set(string? activity) => current = activity;

    public void ItemsDone(int count) => Interlocked.Add(ref itemsDone, count);
}
