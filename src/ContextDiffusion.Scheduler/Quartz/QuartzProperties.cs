using System.Collections.Specialized;
using System.Globalization;

namespace ContextDiffusion.Scheduler.Quartz;

/// <summary>Quartz's configuration for one scheduler node: AdoJobStore on our PostgreSQL database, clustered, JSON job data.</summary>
public static class QuartzProperties
{
    public static NameValueCollection For(SchedulerOptions options, string connectionString)
    {
        // Quartz keeps data sources in a process-wide registry by name: a name per node, so two nodes in one
        // process (tests, or two servers' fixtures on different databases) never share a connection string.
        var dataSource = "cdiff_" + Guid.NewGuid().ToString("N")[..12];
        string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        return new NameValueCollection
        {
            ["quartz.scheduler.instanceName"] = options.InstanceName,
            ["quartz.scheduler.instanceId"] = options.InstanceId,
            ["quartz.scheduler.idleWaitTime"] = Milliseconds(options.IdleWait),
            ["quartz.threadPool.maxConcurrency"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["quartz.jobStore.type"] = "Quartz.Impl.AdoJobStore.JobStoreTX, Quartz",
            ["quartz.jobStore.driverDelegateType"] = "Quartz.Impl.AdoJobStore.PostgreSQLDelegate, Quartz",
            ["quartz.jobStore.tablePrefix"] = "qrtz_",
            ["quartz.jobStore.dataSource"] = dataSource,
            ["quartz.jobStore.clustered"] = "true",
            ["quartz.jobStore.clusterCheckinInterval"] = Milliseconds(options.ClusterCheckinInterval),
            ["quartz.jobStore.misfireThreshold"] = Milliseconds(options.MisfireThreshold),
            // Trigger acquisition under the row lock: with several nodes, two never take the same firing.
            ["quartz.jobStore.acquireTriggersWithinLock"] = "true",
            [$"quartz.dataSource.{dataSource}.provider"] = "Npgsql",
            [$"quartz.dataSource.{dataSource}.connectionString"] = connectionString,
            ["quartz.serializer.type"] = typeof(JsonObjectSerializer).AssemblyQualifiedName!,
        };
    }
}
