using System.Text.Json;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;

namespace ContextDiffusion.Pipeline.Training;

/// <summary>
/// A new training run: its row and its TrainModel command, added to the caller's unit of work so both are
/// committed together. The API's POST /v1/training-runs and the scheduler's retraining both start runs this way.
/// </summary>
public static class TrainingRunRequests
{
    /// <param name="owner">The owner of the API key that asked for it; null when the scheduler did.</param>
    public static TrainingRunRecord AddTrainingRun(this PipelineDbContext db, string model, TrainingRunSettings settings, string? owner)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new TrainingRunRecord
        {
            Id = Guid.CreateVersion7(), Owner = owner, ModelName = model, SettingsJson = JsonSerializer.Serialize(settings, ContractTypes.Json),
            State = RunState.Pending, TotalSteps = settings.Steps, DispatchedAt = now, CreatedAt = now,
        };
        db.TrainingRuns.Add(run);
        db.AddMessage(new TrainModel(run.Id));
        return run;
    }
}
