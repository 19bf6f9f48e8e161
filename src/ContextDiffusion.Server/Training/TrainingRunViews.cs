using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Server.Training;

/// <summary>Training run rows to their HTTP shape.</summary>
public static class TrainingRunViews
{
    public static TrainingRunStatus Status(TrainingRunRecord run, IReadOnlyList<TrainingPoint> points) => new(
        run.Id, run.ModelName, run.State.ToString(), run.Step, run.TotalSteps, run.Loss, run.StepsPerSecond, run.RemainingSeconds,
        run.LeaseOwner, run.Error, run.ResultVersionId, run.CreatedAt, run.StartedAt, run.CompletedAt, points);
}
