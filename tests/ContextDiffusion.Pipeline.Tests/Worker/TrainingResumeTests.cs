using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Worker;

/// <summary>
/// A training run survives its worker: killed with SIGKILL after a checkpoint, the run's lease lapses,
/// recovery queues it again, and another worker resumes it from the checkpoint in S3 and finishes it.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class TrainingResumeTests(PipelineFixture fixture)
{
    private const int Steps = 60;

    [Fact]
    public async Task A_killed_trainer_is_resumed_from_its_checkpoint_by_another_worker()
    {
        var dataset = await TestDatasets.UploadAsync(fixture, entries: 12);
        var request = new StartTrainingRequest { Model = fixture.ModelName, Dataset = dataset, Steps = Steps, BatchSize = 2, CheckpointEvery = 10, Seed = 5 };
        var run = (await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.PostAsJsonAsync("/v1/training-runs", request), HttpStatusCode.Created)).RunId;
        var settings = new Dictionary<string, string?>
        {
            ["Worker:TrainingLease"] = "00:00:06",
            ["Logging:LogLevel:ContextDiffusion.Worker"] = "Information",
        };

        using (var first = WorkerProcess.Start(fixture, settings))
        {
            await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.TrainingRuns.AnyAsync(r => r.Id == run && r.CheckpointPrefix != null && r.Step >= 10)),
                "the first worker has checkpointed", TimeSpan.FromMinutes(3));
            first.Kill();
        }
        var killedAt = await fixture.WithDbAsync(db => db.TrainingRuns.SingleAsync(r => r.Id == run));
        Assert.Equal(RunState.Running, killedAt.State);
        Assert.True(killedAt.Step < Steps, "the first worker finished before it was killed");

        using var second = WorkerProcess.Start(fixture, settings);
        await Eventually.TrueAsync(() => fixture.WithDbAsync(db => db.TrainingRuns.AnyAsync(r => r.Id == run && r.State != RunState.Running && r.State != RunState.Pending)),
            "the run ends", TimeSpan.FromMinutes(3));

        // The guarantee, not the timing: the run finished all its steps once, from a checkpoint. How many attempts
        // that took depends on the machine's load (a lease that lapses under load costs one more).
        var done = await fixture.WithDbAsync(db => db.TrainingRuns.SingleAsync(r => r.Id == run));
        Assert.True(done.State == RunState.Succeeded, $"run {done.State}: {done.Error}");
        Assert.Equal(Steps, done.Step);
        Assert.True(done.Attempts >= 2, $"the run took {done.Attempts} attempt(s): the kill went unnoticed");
        var version = Assert.Single(await fixture.WithDbAsync(db => db.ModelVersions.Where(v => v.TrainingRunId == run).ToListAsync()));
        Assert.Equal((fixture.ModelName, done.ResultVersionId), (version.ModelName, (Guid?)version.Id));
        var resumed = second.Output.Where(line => line.Contains($"training run {run} resumed from its checkpoint at step")).ToList();
        Assert.NotEmpty(resumed);
        foreach (var step in resumed.Select(line => long.Parse(line.Split("at step ")[1].Trim())))
            Assert.True(step >= 10 && step % 10 == 0, $"resumed at step {step}, not at a checkpoint");
    }
}
