using Quartz;

namespace ContextDiffusion.Scheduler.Schedules;

/// <summary>When a cron expression fires next (UTC), for the API and the dashboard.</summary>
public static class CronTimes
{
    public static IReadOnlyList<DateTimeOffset> Next(string cron, int count, DateTimeOffset after)
    {
        var expression = new CronExpression(cron) { TimeZone = TimeZoneInfo.Utc };
        var times = new List<DateTimeOffset>(count);
        for (var at = expression.GetTimeAfter(after); at is { } next && times.Count < count; at = expression.GetTimeAfter(next)) times.Add(next);
        return times;
    }
}
