namespace ContextDiffusion.Cli.Events;

/// <summary>
/// The last <c>capacity</c> event ids seen, to drop redeliveries and duplicates: events are delivered at
/// least once and duplicates arrive close together, so a bounded window is enough and memory stays flat
/// however long `cdiff events` runs.
/// </summary>
public sealed class RecentIds(int capacity)
{
    private readonly HashSet<Guid> seen = [];
    private readonly Queue<Guid> order = new();

    /// <summary>True the first time an id is offered (within the window), false for a repeat.</summary>
    public bool TryAdd(Guid id)
    {
        lock (seen)
        {
            if (!seen.Add(id)) return false;
            order.Enqueue(id);
            if (order.Count > capacity) seen.Remove(order.Dequeue());
            return true;
        }
    }
}
