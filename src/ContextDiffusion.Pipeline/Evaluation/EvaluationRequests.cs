using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Pipeline.Evaluation;

/// <summary>A new evaluation run: its pending row and its EvaluateModel command, added to the caller's unit of work together.</summary>
public static class EvaluationRequests
{
    public static EvaluationRunRecord AddEvaluation(this PipelineDbContext db, Guid modelVersionId, Guid datasetVersionId, int? limit, string? scheduleName)
    {
        var run = new EvaluationRunRecord
        {
            Id = Guid.CreateVersion7(), ModelVersionId = modelVersionId, DatasetVersionId = datasetVersionId, Limit = limit,
            State = RunState.Pending, ScheduleName = scheduleName, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.EvaluationRuns.Add(run);
        db.AddMessage(new EvaluateModel(run.Id, modelVersionId, datasetVersionId, limit));
        return run;
    }
}
