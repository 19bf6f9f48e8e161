using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using static ContextDiffusion.Pipeline.Tests.Scheduler.ScheduleRequests;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

/// <summary>
/// The evaluate job end to end: a triggered schedule queues an evaluation of the fixture's tiny model, a
/// worker runs the evaluator and stores the run's metrics and grid image, or ends it failed with its reason.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class EvaluationTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_scheduled_evaluation_stores_its_metrics_and_grid_image()
    {
        // 16 items of each of two domains hold out two (one of each) at the evaluator's 10% share.
        var dataset = await TestDatasets.RegisterAsync(fixture, await TestDatasets.UploadTwoDomainsAsync(fixture, perDomain: 16));
        var name = await CreateAsync(new { model = fixture.ModelName, dataset = dataset.Name });
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture);

        var evaluation = await EvaluateAsync(name);

        Assert.True(evaluation.State == "Succeeded", $"evaluation {evaluation.State}: {evaluation.Error}");
        Assert.Equal((fixture.ModelVersion.Id, dataset.Id, name), (evaluation.ModelVersionId, evaluation.DatasetVersionId, evaluation.Schedule));
        var metrics = evaluation.Metrics!;
        Assert.Equal(2, metrics.Items);
        Assert.All([metrics.Rmse, metrics.BaselineCopyRmse, metrics.BaselineMeanRmse], rmse => Assert.InRange(rmse, 1e-6, 1));
        Assert.All([metrics.Ssim, metrics.BaselineCopySsim, metrics.BaselineMeanSsim], ssim => Assert.InRange(ssim, -1, 1));
        Assert.InRange(metrics.Psnr, 0, 100);
        Assert.Contains(metrics.ContextSensitivity, new[] { 0, 0.5, 1 });
        Assert.Equal((null, "no Inception checkpoint was supplied"), (metrics.Fid, metrics.FidUnavailableReason));

        var grid = evaluation.Grid!;
        Assert.Equal((fixture.Store.Options.OutputsBucket, $"evaluations/{evaluation.Id:N}/grid.png"), (grid.Bucket, grid.Key));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, (await fixture.Store.GetBytesAsync(grid))[..4]);
        using var anonymous = new HttpClient();
        Assert.Equal("image/png", (await anonymous.GetAsync(evaluation.GridUrl)).EnsureSuccessStatusCode().Content.Headers.ContentType?.MediaType);
        await Eventually.TrueAsync(() => Task.FromResult(events.EvaluationsCompleted.Any(e => e.RunId == evaluation.Id)), "EvaluationCompleted was published");
        Assert.Equal((metrics, grid), events.EvaluationsCompleted.Where(e => e.RunId == evaluation.Id).Select(e => (e.Metrics, e.Grid)).First());
        await fixture.Store.DeleteAsync(grid);
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    [Fact]
    public async Task An_evaluation_whose_dataset_files_are_gone_fails_with_the_reason()
    {
        var deleted = new ObjectReference(fixture.Store.Options.DatasetsBucket, $"datasets/deleted-{Guid.NewGuid():N}");
        var dataset = await TestDatasets.RegisterAsync(fixture, deleted);
        var name = await CreateAsync(new { model = fixture.ModelName, dataset = dataset.Id });
        await using var events = await EventRecorder.StartAsync(fixture);
        await using var worker = await InProcessWorker.StartAsync(fixture);

        var evaluation = await EvaluateAsync(name);

        var reason = $"s3://{deleted.Bucket}/{deleted.Key}/ holds 0 files but no manifest.jsonl";
        Assert.Equal(("Failed", reason, null, null), (evaluation.State, evaluation.Error, evaluation.Metrics, evaluation.Grid));
        await Eventually.TrueAsync(() => Task.FromResult(events.EvaluationsFailed.Any(e => e.RunId == evaluation.Id)), "EvaluationFailed was published");
        Assert.Equal(reason, events.EvaluationsFailed.First(e => e.RunId == evaluation.Id).Reason);
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    [Fact]
    public async Task An_evaluation_of_an_unknown_model_version_fails_at_its_schedule_and_queues_nothing()
    {
        var dataset = await TestDatasets.RegisterAsync(fixture, new ObjectReference(fixture.Store.Options.DatasetsBucket, $"datasets/none-{Guid.NewGuid():N}"));
        var name = await CreateAsync(new { model = $"{fixture.ModelName}:v99", dataset = dataset.Id });

        var run = await TriggerAsync(fixture.Client, name);

        Assert.Equal(("Failed", $"model '{fixture.ModelName}' has no version v99"), (run.Outcome, run.Error));
        var evaluations = await fixture.Client.GetFromJsonAsync<List<EvaluationView>>($"/v1/evaluations?model={fixture.ModelName}");
        Assert.DoesNotContain(evaluations!, e => e.DatasetVersionId == dataset.Id);
        await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
    }

    /// <summary>An evaluate schedule with <paramref name="parameters"/> that fires only when triggered.</summary>
    private async Task<string> CreateAsync(object parameters)
    {
        var name = NewName();
        var request = new ScheduleRequest { Name = name, Kind = "evaluate", Cron = DailyAt3, Parameters = JsonSerializer.SerializeToElement(parameters) };
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", request), HttpStatusCode.Created);
        return name;
    }

    /// <summary>Triggers the schedule and returns the evaluation it queued, once a worker ended it.</summary>
    private async Task<EvaluationView> EvaluateAsync(string schedule)
    {
        var run = await TriggerAsync(fixture.Client, schedule);
        Assert.True(run.Outcome == "Succeeded", $"schedule run {run.Outcome}: {run.Error}");
        var id = run.Result!.Value.GetProperty("evaluationRunId").GetGuid();
        EvaluationView? evaluation = null;
        await Eventually.TrueAsync(async () =>
        {
            evaluation = await ApiAssert.JsonAsync<EvaluationView>(await fixture.Client.GetAsync($"/v1/evaluations/{id}"));
            return evaluation.State is "Succeeded" or "Failed";
        }, $"evaluation {id} ended", TimeSpan.FromMinutes(2));
        return evaluation!;
    }
}
