using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Scheduler;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ContextDiffusion.Pipeline.Tests.Scheduler.ScheduleRequests;

namespace ContextDiffusion.Pipeline.Tests.Scheduler;

/// <summary>
/// Scheduled retraining end to end: the retrain job fine-tunes the promoted version for a few steps, a
/// worker trains it and evaluates the candidate and the promoted version, and the follow-up promotes the
/// candidate only when the promotion policy says it beats the promoted one.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class RetrainingTests(PipelineFixture fixture)
{
    [Fact]
    public async Task A_retrained_version_is_promoted_only_when_the_policy_says_it_beats_the_promoted_one()
    {
        var dataset = await TestDatasets.RegisterAsync(fixture, await TestDatasets.UploadTwoDomainsAsync(fixture, perDomain: 16));
        var name = NewName();
        var request = new ScheduleRequest
        {
            Name = name, Kind = "retrain", Cron = DailyAt3,
            Parameters = JsonSerializer.SerializeToElement(new { model = fixture.ModelName, dataset = dataset.Name, steps = 4, batchSize = 2, checkpointEvery = 4 }),
        };
        await ApiAssert.JsonAsync<ScheduleView>(await fixture.Client.PostAsJsonAsync("/v1/schedules", request), HttpStatusCode.Created);
        // The server's policy is set per cycle, so each decision is certain whatever a few steps do to the
        // metrics: first an RMSE drop no model reaches (RMSE is at most 1), then a policy without rules.
        var options = fixture.Services.GetRequiredService<IOptions<SchedulerOptions>>().Value;
        var configured = options.Promotion;
        await using var worker = await InProcessWorker.StartAsync(fixture);
        try
        {
            options.Promotion = new PromotionPolicyOptions { MinRmseImprovement = 1000 };
            var rejected = await RetrainAsync(name);

            Assert.True(rejected.State == RetrainState.Rejected, $"cycle {rejected.State}: {rejected.Reason}");
            Assert.StartsWith("kept the promoted version: RMSE ", rejected.Reason);
            Assert.EndsWith("fails the policy 'RMSE lower by at least 1000 and higher SSIM than the promoted version, on the same dataset version'", rejected.Reason);
            Assert.Equal(fixture.ModelVersion.Id, rejected.BaselineVersionId);
            Assert.Equal(fixture.ModelVersion.Id, await PromotedAsync());
            var candidate = await fixture.WithDbAsync(db => db.ModelVersions.SingleAsync(v => v.Id == rejected.CandidateVersionId));
            Assert.Equal((fixture.ModelName, (Guid?)fixture.ModelVersion.Id, (Guid?)rejected.TrainingRunId), (candidate.ModelName, candidate.ParentVersionId, candidate.TrainingRunId));
            var evaluations = await fixture.WithDbAsync(db => db.EvaluationRuns.Where(e => e.DatasetVersionId == dataset.Id).ToListAsync());
            Assert.Equal(
                new[] { (rejected.CandidateEvaluationId, candidate.Id), (rejected.BaselineEvaluationId, fixture.ModelVersion.Id) }.Order(),
                evaluations.Select(e => ((Guid?)e.Id, e.ModelVersionId)).Order());
            Assert.All(evaluations, e => Assert.Equal((RunState.Succeeded, name), (e.State, e.ScheduleName)));

            options.Promotion = new PromotionPolicyOptions { RequireLowerRmse = false, RequireHigherSsim = false };
            var promoted = await RetrainAsync(name);

            Assert.True(promoted.State == RetrainState.Promoted, $"cycle {promoted.State}: {promoted.Reason}");
            Assert.Equal("promoted under the policy 'always promote the retrained version'", promoted.Reason);
            Assert.Equal(promoted.CandidateVersionId, await PromotedAsync());
            // The promoted version was measured on this dataset version in the first cycle: only the candidate is evaluated again.
            Assert.Equal(rejected.BaselineEvaluationId, promoted.BaselineEvaluationId);
            Assert.Equal(3, await fixture.WithDbAsync(db => db.EvaluationRuns.CountAsync(e => e.DatasetVersionId == dataset.Id)));
            var decisions = (await RunsAsync(fixture.Client, name)).Select(r => r.Result!.Value.GetProperty("decision"))
                .Select(d => (d.GetProperty("outcome").GetString(), d.GetProperty("reason").GetString()));
            Assert.Equal(new (string?, string?)[] { ("promoted", promoted.Reason), ("rejected", rejected.Reason) }, decisions);
        }
        finally
        {
            options.Promotion = configured;
            // Other tests of the collection expect the fixture's version to be the promoted one.
            await fixture.Client.PostAsync($"/v1/models/versions/{fixture.ModelVersion.Id}/promote", null);
            await fixture.Client.DeleteAsync($"/v1/schedules/{name}");
        }
    }

    /// <summary>Triggers the retrain schedule and returns its cycle once the follow-up decided it.</summary>
    private async Task<RetrainCycleRecord> RetrainAsync(string schedule)
    {
        var run = await TriggerAsync(fixture.Client, schedule);
        Assert.True(run.Outcome == "Succeeded", $"schedule run {run.Outcome}: {run.Error}");
        var id = run.Result!.Value.GetProperty("retrainCycleId").GetGuid();
        RetrainCycleRecord? cycle = null;
        await Eventually.TrueAsync(async () =>
        {
            cycle = await fixture.WithDbAsync(db => db.RetrainCycles.AsNoTracking().SingleAsync(c => c.Id == id));
            return cycle.DecidedAt is not null;
        }, $"retraining cycle {id} was decided", TimeSpan.FromMinutes(3));
        return cycle!;
    }

    private Task<Guid?> PromotedAsync() =>
        fixture.WithDbAsync(db => db.Models.Where(m => m.Name == fixture.ModelName).Select(m => m.PromotedVersionId).SingleAsync());
}
