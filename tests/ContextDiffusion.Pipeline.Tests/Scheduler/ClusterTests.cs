using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Scheduler;
using ContextDiffusion.Scheduler.Quartz;
using ContextDiffusion.Scheduler.Schedules;
using Microsoft.EntityFrameworkCore;
using static ContextDiffusion.Pipeline.Tests.Scheduler.ScheduleRequests;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

[Collection(PipelineCollection.Name)]
public sealed class ClusterTests(PipelineFixture fixture)
{
    /// <summary>
    /// Two nodes of a cluster of their own (the server's node belongs to another cluster name, so it stays out)
    /// on the fixture's database, both firing the same every-second trigger: each firing runs once.
    /// </summary>
    [Fact]
    public async Task Two_nodes_on_one_database_run_each_firing_once()
    {
        var name = NewName();
        var cluster = "cluster-" + name;
        var schedule = new ScheduleRecord
        {
            Name = name, Kind = ScheduleKind.Preprocess, Cron = EverySecond, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            ParametersJson = """{"source":"/data/raw","name":"facades","resolution":64}""",
        };
        await fixture.WithDbAsync(db =>
        {
            db.Schedules.Add(schedule);
            return db.SaveChangesAsync();
        });
        var connection = fixture.Configuration["Postgres:ConnectionString"]!;
        SchedulerOptions Node(string id) => new() { InstanceName = cluster, InstanceId = id, IdleWait = TimeSpan.FromSeconds(1) };
        var a = await SchedulerNodes.CreateAsync(Node("node-a"), connection, fixture.Services);
        var b = await SchedulerNodes.CreateAsync(Node("node-b"), connection, fixture.Services);
        await ScheduleJobs.StoreAsync(a, schedule, CancellationToken.None);
        await Task.WhenAll(a.Start(), b.Start());
        await Task.Delay(TimeSpan.FromSeconds(8));
        await Task.WhenAll(a.Shutdown(waitForJobsToComplete: true), b.Shutdown(waitForJobsToComplete: true));

        var runs = await fixture.WithDbAsync(db => db.ScheduleRuns.Where(r => r.ScheduleName == name).ToListAsync());
        Assert.True(runs.Count >= 5, $"only {runs.Count} runs in 8 s");
        Assert.All(runs, r => Assert.Equal(ScheduleRunOutcome.Succeeded, r.Outcome));
        Assert.Equal(runs.Count, runs.Select(r => r.ScheduledFor).Distinct().Count());
        var states = await fixture.WithDbAsync(db => db.Database.SqlQuery<string>($"SELECT instance_name AS \"Value\" FROM qrtz_scheduler_state WHERE sched_name = {cluster}").ToListAsync());
        Assert.Equal(["node-a", "node-b"], states.Order());
    }
}
