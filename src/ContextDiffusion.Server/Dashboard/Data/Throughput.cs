using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Dashboard.Data;

/// <summary>Items finished in one minute.</summary>
public sealed record MinuteCount(DateTimeOffset Minute, long Succeeded, long Failed);

/// <summary>Items succeeded and failed per minute over the last <see cref="Minutes"/> minutes, from items.completed_at.</summary>
public static class Throughput
{
    public const int Minutes = 60;

    /// <summary>One entry per minute, oldest first, minutes without items included (as zeros) so the chart's x axis is time.</summary>
    public static async Task<IReadOnlyList<MinuteCount>> ReadAsync(PipelineDbContext db, DateTimeOffset now, CancellationToken cancellation)
    {
        var end = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var since = end.AddMinutes(-(Minutes - 1));
        var rows = await db.Database.SqlQuery<MinuteCount>($"""
            SELECT date_trunc('minute', completed_at) AS "Minute",
                   count(*) FILTER (WHERE state = 'Succeeded') AS "Succeeded",
                   count(*) FILTER (WHERE state = 'Failed') AS "Failed"
              FROM items
             WHERE completed_at >= {since} AND state IN ('Succeeded', 'Failed')
             GROUP BY 1
            """).ToListAsync(cancellation);
        var byMinute = rows.ToDictionary(r => r.Minute.UtcTicks);
        return Enumerable.Range(0, Minutes).Select(i => since.AddMinutes(i))
            .Select(minute => byMinute.GetValueOrDefault(minute.UtcTicks) ?? new MinuteCount(minute, 0, 0)).ToList();
    }
}
