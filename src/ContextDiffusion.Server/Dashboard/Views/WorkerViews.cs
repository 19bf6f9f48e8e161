using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>The workers table (overview and workers page): device, heartbeat age, what each is doing.</summary>
public static class WorkerViews
{
    /// <summary>Workers beat every 5 s; one silent for six beats is taken to be gone.</summary>
    public static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(30);

    public static bool IsAlive(WorkerRecord worker, DateTimeOffset now) => now - worker.LastSeenAt < AliveWithin;

    public static Html Table(IReadOnlyList<WorkerRecord> workers, DateTimeOffset now)
    {
        if (workers.Count == 0) return Html.Raw("""<p class="empty">no worker has reported yet: start one with <code>cdiff worker</code></p>""");
        var rows = workers.Select(w => Html.Of($"""
            <tr>
              <td class="mono">{w.Name}</td><td>{Badge.Of(IsAlive(w, now) ? "alive" : "stale")}</td><td class="mono">{w.Device}</td><td>{w.Host}</td>
              <td class="num" title="last seen {w.LastSeenAt.UtcDateTime:O}">{Format.Age(now - w.LastSeenAt)} ago</td>
              <td>{w.Activity ?? "idle"}</td><td class="num">{w.ItemsDone}</td><td>{Format.Time(w.StartedAt)}</td>
            </tr>
            """));
        return Html.Of($"""
            <table><thead><tr><th>worker</th><th>status</th><th>device</th><th>host</th><th class="num">heartbeat</th><th>activity</th><th class="num">items done</th><th>started</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """);
    }
}
