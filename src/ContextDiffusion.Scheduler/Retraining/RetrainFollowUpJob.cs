using System.Text.Json;
using System.Text.Json.Nodes;
using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Evaluation;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;

namespace ContextDiffusion.Scheduler.Retraining;

/// <summary>
/// Moves retraining cycles on, from the database alone (so it survives restarts and runs on one node of the
/// cluster at a time): a finished training run gets its candidate evaluated, with the promoted version too
/// unless it already has an evaluation on the same dataset version and limit; once both are measured the
/// <see cref="PromotionPolicy"/> decides, the candidate is promoted or not, and the decision with its reason
/// is added to the schedule run that started the cycle.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RetrainFollowUpJob(IServiceScopeFactory scopes, PromotionPolicy policy, ILogger<RetrainFollowUpJob> logger) : IJob
{
    public static readonly JobKey Key = new("retrain-follow-up", "system");

    public static async Task EnsureAsync(IScheduler scheduler, TimeSpan interval, CancellationToken cancellation)
    {
        var job = JobBuilder.Create<RetrainFollowUpJob>().WithIdentity(Key).StoreDurably().Build();
        var trigger = TriggerBuilder.Create().WithIdentity(Key.Name, Key.Group).ForJob(Key)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireHandlingInstructionNextWithRemainingCount())
            .Build();
        await scheduler.ScheduleJob(job, [trigger], replace: true, cancellation);
    }

    public async Task Execute(IJobExecutionContext context)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var open = await db.RetrainCycles.Where(c => c.State == RetrainState.Training || c.State == RetrainState.Evaluating)
            .OrderBy(c => c.CreatedAt).ToListAsync(context.CancellationToken);
        foreach (var cycle in open)
        {
            try
            {
                if (cycle.State == RetrainState.Training) await AfterTrainingAsync(db, cycle, context.CancellationToken);
                else await AfterEvaluationAsync(db, scope.ServiceProvider.GetRequiredService<ModelRegistry>(), cycle, context.CancellationToken);
            }
            catch (Exception e)
            {
                logger.LogWarning("retraining cycle {Cycle}: {Error}; tried again next pass", cycle.Id, e.Message);
                db.ChangeTracker.Clear();
            }
        }
        scope.ServiceProvider.GetRequiredService<OutboxSignal>().Notify();
    }

    private static async Task AfterTrainingAsync(PipelineDbContext db, RetrainCycleRecord cycle, CancellationToken cancellation)
    {
        var run = await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == cycle.TrainingRunId, cancellation);
        switch (run.State)
        {
            case RunState.Succeeded:
                cycle.CandidateVersionId = run.ResultVersionId;
                cycle.CandidateEvaluationId = db.AddEvaluation(run.ResultVersionId!.Value, cycle.DatasetVersionId, cycle.EvaluationLimit, cycle.ScheduleName).Id;
                cycle.BaselineEvaluationId = await db.EvaluationRuns.AsNoTracking()
                    .Where(e => e.ModelVersionId == cycle.BaselineVersionId && e.DatasetVersionId == cycle.DatasetVersionId && e.Limit == cycle.EvaluationLimit && e.State == RunState.Succeeded)
                    .OrderByDescending(e => e.CompletedAt).Select(e => (Guid?)e.Id).FirstOrDefaultAsync(cancellation)
                    ?? db.AddEvaluation(cycle.BaselineVersionId, cycle.DatasetVersionId, cycle.EvaluationLimit, cycle.ScheduleName).Id;
                cycle.State = RetrainState.Evaluating;
                break;
            case RunState.Failed or RunState.Canceled:
                await DecideAsync(db, cycle, RetrainState.Failed, $"training run {run.Id} {run.State.ToString().ToLowerInvariant()}: {run.Error}", cancellation);
                break;
        }
        await db.SaveChangesAsync(cancellation);
    }

    private async Task AfterEvaluationAsync(PipelineDbContext db, ModelRegistry registry, RetrainCycleRecord cycle, CancellationToken cancellation)
    {
        var candidate = await db.EvaluationRuns.AsNoTracking().SingleAsync(e => e.Id == cycle.CandidateEvaluationId, cancellation);
        var baseline = await db.EvaluationRuns.AsNoTracking().SingleAsync(e => e.Id == cycle.BaselineEvaluationId, cancellation);
        if (candidate.State == RunState.Failed || baseline.State == RunState.Failed)
        {
            var failed = candidate.State == RunState.Failed ? candidate : baseline;
            await DecideAsync(db, cycle, RetrainState.Failed, $"evaluation {failed.Id} failed: {failed.Error}; the promoted version is kept", cancellation);
        }
        else if (candidate.State == RunState.Succeeded && baseline.State == RunState.Succeeded)
        {
            var (promote, reason) = policy.Decide(Metrics(candidate), Metrics(baseline));
            if (promote) await registry.PromoteAsync(cycle.CandidateVersionId!.Value, cancellation);
            await DecideAsync(db, cycle, promote ? RetrainState.Promoted : RetrainState.Rejected, reason, cancellation);
        }
        await db.SaveChangesAsync(cancellation);
    }

    /// <summary>Ends the cycle and writes the decision into the result of the schedule run that started it.</summary>
    private static async Task DecideAsync(PipelineDbContext db, RetrainCycleRecord cycle, RetrainState state, string reason, CancellationToken cancellation)
    {
        cycle.State = state;
        cycle.Reason = reason;
        cycle.DecidedAt = DateTimeOffset.UtcNow;
        var run = await db.ScheduleRuns.SingleOrDefaultAsync(r => r.Id == cycle.ScheduleRunId, cancellation);
        if (run is null) return;
        var result = (run.ResultJson is null ? null : JsonNode.Parse(run.ResultJson)) as JsonObject ?? [];
        result["decision"] = JsonSerializer.SerializeToNode(new
        {
            outcome = state.ToString().ToLowerInvariant(), reason, candidateVersionId = cycle.CandidateVersionId,
            candidateEvaluationId = cycle.CandidateEvaluationId, baselineEvaluationId = cycle.BaselineEvaluationId, decidedAt = cycle.DecidedAt,
        }, ContractTypes.Json);
        run.ResultJson = result.ToJsonString();
    }

    private static EvaluationMetrics Metrics(EvaluationRunRecord run) => JsonSerializer.Deserialize<EvaluationMetrics>(run.MetricsJson!, ContractTypes.Json)!;
}
