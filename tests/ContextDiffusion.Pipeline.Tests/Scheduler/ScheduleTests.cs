using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Scheduler.Schedules;
using ContextDiffusion.Scheduler;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Quartz.Impl.Matchers;
using static ContextDiffusion.Pipeline.Tests.Scheduler.ScheduleRequests;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

[Collection(PipelineCollection.Name)]
public sealed class ScheduleTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_schedule_fires_and_records_its_runs()
    {
        var name = NewName();
        var created = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", Preprocess(name)), HttpStatusCode.Created);
        Assert.Equal(("preprocess", "fire-once-now", 5), (created.Kind, created.Misfire, created.NextFireTimes.Count));

        await Eventually.TrueAsync(async () => (await RunsAsync(fixture.Client, name)).Count(r => r.Outcome == "Succeeded") >= 2, "two runs succeeded");

        var runs = await RunsAsync(fixture.Client, name);
        var run = runs.First(r => r.Outcome == "Succeeded");
        Assert.Equal(("cron", 1, null), (run.Cause, run.Attempt, run.Error));
        Assert.True(run.EndedAt >= run.StartedAt && run.ScheduledFor is not null);
        var preprocessRunId = run.Result!.Value.GetProperty("preprocessRunId").GetGuid();
        var commands = await fixture.WithDbAsync(db => db.Outbox.Where(o => o.Type == typeof(PreprocessDataset).FullName).Select(o => o.Payload).ToListAsync());
        Assert.Contains(commands.Select(c => JsonSerializer.Deserialize<PreprocessDataset>(c, ContractTypes.Json)!), c => c.RunId == preprocessRunId && c.Name == "facades" && c.Resolution == 64);
        Assert.Equal(runs.Count, runs.Select(r => r.FireInstanceId).Distinct().Count());
        var view = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.GetAsync($"/v1/schedules/{name}"));
        Assert.NotNull(view.LastRun);

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"/v1/schedules/{name}")).StatusCode);
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync($"/v1/schedules/{name}"), HttpStatusCode.NotFound, $"no schedule named '{name}'");
    }

    [Fact]
    public async Task Pause_stops_the_firing_and_resume_starts_it_again()
    {
        var name = NewName();
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", Preprocess(name)), HttpStatusCode.Created);
        await Eventually.TrueAsync(async () => (await RunsAsync(fixture.Client, name)).Count > 0, "the schedule fired");

        var paused = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsync($"/v1/schedules/{name}/pause", null));
        Assert.Equal((false, "Paused", 0), (paused.Enabled, paused.TriggerState, paused.NextFireTimes.Count));
        await Task.Delay(1500); // a firing already taken when the pause came may still finish
        var before = (await RunsAsync(fixture.Client, name)).Count;
        await Task.Delay(3000);
        Assert.Equal(before, (await RunsAsync(fixture.Client, name)).Count);

        var resumed = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsync($"/v1/schedules/{name}/resume", null));
        Assert.True(resumed.Enabled);
        await Eventually.TrueAsync(async () => (await RunsAsync(fixture.Client, name)).Count > before, "the resumed schedule fired");
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    [Fact]
    public async Task Trigger_now_runs_a_paused_schedule_once()
    {
        var name = NewName();
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", Preprocess(name, DailyAt3, enabled: false)), HttpStatusCode.Created);

        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsync($"/v1/schedules/{name}/trigger", null));

        await Eventually.TrueAsync(async () => (await RunsAsync(fixture.Client, name)).Any(r => r.Outcome == "Succeeded"), "the triggered run succeeded");
        await Task.Delay(2000);
        var run = Assert.Single(await RunsAsync(fixture.Client, name));
        Assert.Equal("manual", run.Cause);
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    [Fact]
    public async Task A_failed_run_records_its_error_and_schedules_a_retry()
    {
        var name = NewName();
        var request = new ScheduleRequest
        {
            Name = name, Kind = "evaluate", Cron = DailyAt3,
            Parameters = JsonSerializer.SerializeToElement(new { dataset = "no-such-dataset" }),
        };
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", request), HttpStatusCode.Created);

        await fixture.Client.PostAsync($"/v1/schedules/{name}/trigger", null);

        await Eventually.TrueAsync(async () => (await RunsAsync(fixture.Client, name)).Any(r => r.Outcome == "Failed"), "the run failed");
        var run = (await RunsAsync(fixture.Client, name)).Single();
        Assert.Contains("no prepared version of dataset 'no-such-dataset'", run.Error);
        var delay = run.RetryAt!.Value - run.EndedAt!.Value;
        Assert.InRange(delay.TotalSeconds, 55, 65);
        var scheduler = fixture.Services.GetRequiredService<SchedulerNode>().Scheduler;
        var retries = await scheduler.GetTriggersOfJob(ScheduleKeys.Job(name));
        var retry = Assert.Single(retries, t => t.Key.Group == ScheduleKeys.RetryGroup);
        Assert.Equal("2", retry.JobDataMap.GetString(ScheduleKeys.Attempt));
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
        Assert.Empty(await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(ScheduleKeys.RetryGroup)) is var keys ? keys.Where(k => k.Name.StartsWith(name)) : []);
    }

    [Fact]
    public async Task Invalid_schedules_are_400_naming_each_field()
    {
        var bad = new ScheduleRequest
        {
            Name = "bad name!", Kind = "sometimes", Cron = "61 * * * * ?", Misfire = "maybe",
        };
        var error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/schedules", bad), HttpStatusCode.BadRequest, "name: 'bad name!'");
        Assert.Contains(error.Details!, d => d.StartsWith("kind: 'sometimes'; must be one of preprocess, evaluate, retrain"));
        Assert.Contains(error.Details!, d => d.StartsWith("cron: '61 * * * * ?' is not a Quartz cron expression"));
        Assert.Contains(error.Details!, d => d.StartsWith("misfire: 'maybe'; must be one of fire-once-now, do-nothing"));

        var badParameters = Preprocess(NewName()) with { Parameters = JsonSerializer.SerializeToElement(new { source = "relative/path", resolution = 30 }) };
        error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/schedules", badParameters), HttpStatusCode.BadRequest, "parameters.source: 'relative/path'");
        Assert.Contains(error.Details!, d => d.StartsWith("parameters.name: ''") || d.StartsWith("parameters.name: '' "));
        Assert.Contains(error.Details!, d => d.StartsWith("parameters.resolution: 30; must be a multiple of 8"));

        var name = NewName();
        var created = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", Preprocess(name, DailyAt3)), HttpStatusCode.Created);
        Assert.All(created.NextFireTimes, t => Assert.Equal((3, 0, 0, TimeSpan.Zero), (t.Hour, t.Minute, t.Second, t.Offset)));
        Assert.Equal(TimeSpan.FromDays(1), created.NextFireTimes[1] - created.NextFireTimes[0]);
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/schedules", Preprocess(name, DailyAt3)), HttpStatusCode.Conflict, "exists already");
        await ApiAssert.ErrorAsync(await fixture.Client.PutAsJsonAsync($"/v1/schedules/{name}", Preprocess(name, "0 0 25 * * ?")), HttpStatusCode.BadRequest, "cron: '0 0 25 * * ?'");
        var edited = await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PutAsJsonAsync($"/v1/schedules/{name}", Preprocess(name, "0 30 4 * * ?") with { Misfire = "do-nothing" }));
        Assert.Equal(("0 30 4 * * ?", "do-nothing", 4), (edited.Cron, edited.Misfire, edited.NextFireTimes[0].Hour));
        var trigger = (ICronTrigger)(await fixture.Services.GetRequiredService<SchedulerNode>().Scheduler.GetTrigger(ScheduleKeys.Trigger(name)))!;
        Assert.Equal(("0 30 4 * * ?", MisfireInstruction.CronTrigger.DoNothing), (trigger.CronExpressionString, trigger.MisfireInstruction));

        using var reader = fixture.CreateClient(fixture.ReaderKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/v1/schedules/{name}/trigger", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/v1/schedules/{name}")).StatusCode);
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    [Fact]
    public async Task A_preprocessing_source_outside_the_datasets_bucket_is_400()
    {
        var storage = fixture.Store.Options;
        ScheduleRequest From(string name, string source) => Preprocess(name, DailyAt3) with
        {
            Parameters = JsonSerializer.SerializeToElement(new { source, name = "facades", resolution = 64 }),
        };
        foreach (var bucket in new[] { storage.OutputsBucket, storage.ModelsBucket, storage.ImagesBucket, "someone-elses-bucket" })
            await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/schedules", From(NewName(), $"s3://{bucket}/outputs")), HttpStatusCode.BadRequest,
                $"parameters.source: 's3://{bucket}/outputs' is not in the datasets bucket");

        var name = NewName();
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", From(name, $"s3://{storage.DatasetsBucket}/datasets/raw")), HttpStatusCode.Created);
        await ApiAssert.ErrorAsync(await fixture.Client.PutAsJsonAsync($"/v1/schedules/{name}", From(name, $"s3://{storage.OutputsBucket}/outputs")), HttpStatusCode.BadRequest,
            "is not in the datasets bucket");
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }
}
