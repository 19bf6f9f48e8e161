using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Pipeline.Training;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Pipeline.Tests.Server;

[Collection(PipelineCollection.Name)]
public sealed class TrainingRunTests(PipelineFixture fixture)
{
    [Fact]
    public async Task Start_queues_the_run_and_a_pending_run_cancels_at_once()
    {
        var dataset = await DatasetAsync();
        var request = new StartTrainingRequest { Model = fixture.ModelName, Dataset = dataset, Steps = 50, BatchSize = 4, Seed = 7 };

        var response = await fixture.Client.PostAsJsonAsync("/v1/training-runs", request);
        var started = await ApiAssert.JsonAsync<TrainingRunStatus>(response, HttpStatusCode.Created);

        Assert.Equal(($"/v1/training-runs/{started.RunId}", "Pending", 50L), (response.Headers.Location?.OriginalString, started.State, started.TotalSteps));
        var row = await fixture.WithDbAsync(db => db.TrainingRuns.SingleAsync(r => r.Id == started.RunId));
        var settings = JsonSerializer.Deserialize<TrainingRunSettings>(row.SettingsJson, ContractTypes.Json)!;
        Assert.Equal(("tiny", dataset.Bucket, dataset.Key, 50L, 4, 7L), (settings.Preset, settings.DatasetBucket, settings.DatasetPrefix, settings.Steps, settings.BatchSize, settings.Seed));
        Assert.NotNull(row.DispatchedAt);
        Assert.Contains(await MessagesAsync<TrainModel>(), m => m.RunId == started.RunId);

        var canceled = await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.PostAsync($"/v1/training-runs/{started.RunId}/cancel", null));
        Assert.Equal("Canceled", canceled.State);
        Assert.Contains(await MessagesAsync<TrainingFailed>(), m => m.RunId == started.RunId && m.Canceled);
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsync($"/v1/training-runs/{started.RunId}/cancel", null), HttpStatusCode.Conflict, "is already canceled");
        var listed = await ApiAssert.JsonAsync<List<TrainingRunStatus>>(await fixture.Client.GetAsync("/v1/training-runs"));
        Assert.Contains(listed, r => r.RunId == started.RunId && r.State == "Canceled");
    }

    [Fact]
    public async Task A_running_run_is_asked_to_stop_and_shows_its_loss_curve()
    {
        var started = await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.PostAsJsonAsync("/v1/training-runs",
            new StartTrainingRequest { Model = fixture.ModelName, Dataset = await DatasetAsync(), Minutes = 5 }), HttpStatusCode.Created);
        // What a worker's claim and heartbeats leave behind.
        await fixture.WithDbAsync(async db =>
        {
            await db.TrainingRuns.Where(r => r.Id == started.RunId).ExecuteUpdateAsync(s => s.SetProperty(r => r.State, RunState.Running).SetProperty(r => r.Step, 20));
            db.TrainingPoints.AddRange(
                new TrainingPointRecord { RunId = started.RunId, Step = 20, Loss = 0.5, At = DateTimeOffset.UtcNow },
                new TrainingPointRecord { RunId = started.RunId, Step = 10, Loss = 0.9, At = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });

        var asked = await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.PostAsync($"/v1/training-runs/{started.RunId}/cancel", null));

        Assert.Equal("Running", asked.State);
        Assert.True(await fixture.WithDbAsync(db => db.TrainingRuns.Where(r => r.Id == started.RunId).Select(r => r.CancelRequested).SingleAsync()));
        var status = await ApiAssert.JsonAsync<TrainingRunStatus>(await fixture.Client.GetAsync($"/v1/training-runs/{started.RunId}"));
        Assert.Equal([(10L, 0.9), (20L, 0.5)], status.Points.Select(p => (p.Step, p.Loss)));
    }

    [Fact]
    public async Task Invalid_requests_name_each_field()
    {
        var missing = new ObjectReference(fixture.Store.Options.DatasetsBucket, $"datasets/missing-{Guid.NewGuid():N}");
        await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/training-runs", new StartTrainingRequest { Model = fixture.ModelName, Dataset = missing, Steps = 1 }),
            HttpStatusCode.BadRequest, $"dataset: {missing}/manifest.jsonl does not exist");

        var error = await ApiAssert.ErrorAsync(await fixture.Client.PostAsJsonAsync("/v1/training-runs",
            new StartTrainingRequest { Model = "bad name!", Dataset = await DatasetAsync(), Preset = "huge", BatchSize = 0 }), HttpStatusCode.BadRequest, "model: 'bad name!'");
        Assert.Contains("preset: 'huge'; must be one of tiny, small, sd15", error.Details!);
        Assert.Contains("steps, minutes: give at least one, or the run never ends", error.Details!);
        Assert.Contains("batchSize: 0; must be 1 to 1024", error.Details!);
        await ApiAssert.ErrorAsync(await fixture.Client.GetAsync($"/v1/training-runs/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "no training run with id");
    }

    /// <summary>A dataset prefix holding a manifest (the server only checks that it is there; workers read it).</summary>
    private async Task<ObjectReference> DatasetAsync()
    {
        var prefix = $"datasets/test-{Guid.NewGuid():N}";
        var store = fixture.Store;
        await store.PutFileAsync(new ObjectReference(store.Options.DatasetsBucket, $"{prefix}/manifest.jsonl"), TestImages.Manifest, "application/json");
        return new ObjectReference(store.Options.DatasetsBucket, prefix);
    }

    private Task<List<T>> MessagesAsync<T>() => fixture.WithDbAsync(async db =>
        (await db.Outbox.Where(o => o.Type == typeof(T).FullName).ToListAsync())
        .Select(o => JsonSerializer.Deserialize<T>(o.Payload, ContractTypes.Json)!).ToList());
}
