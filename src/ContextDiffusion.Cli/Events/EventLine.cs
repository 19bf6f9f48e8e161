using ContextDiffusion.Contracts.V1;

namespace ContextDiffusion.Cli.Events;

/// <summary>
/// One completion event as `cdiff events` prints it: its type, ids and key fields on one line, with the
/// event id for de-duplication and the batch id (null for training events) for --batch.
/// </summary>
public sealed record EventLine(Guid EventId, Guid? BatchId, string Text)
{
    public static EventLine Of(object message) => message switch
    {
        ItemSucceeded m => new(m.EventId, m.BatchId,
            $"{m.CompletedAt:HH:mm:ss.fff} item-succeeded batch={m.BatchId} item={m.ItemId} output={m.Output} attempt={m.Attempt} worker={m.Worker} seconds={m.GenerationSeconds:F2}"),
        ItemFailed m => new(m.EventId, m.BatchId,
            $"{m.FailedAt:HH:mm:ss.fff} item-failed batch={m.BatchId} item={m.ItemId} attempt={m.Attempt} final={m.Final.ToString().ToLowerInvariant()} reason={m.Reason}"),
        BatchProgressed m => new(m.EventId, m.BatchId,
            $"{m.At:HH:mm:ss.fff} batch-progressed batch={m.BatchId} succeeded={m.Succeeded} failed={m.Failed} canceled={m.Canceled} total={m.Total}"),
        BatchCompleted m => new(m.EventId, m.BatchId,
            $"{m.CompletedAt:HH:mm:ss.fff} batch-completed batch={m.BatchId} name={m.Name ?? "-"} succeeded={m.Succeeded} failed={m.Failed} canceled={m.Canceled} total={m.Total}"),
        TrainingProgressed m => new(m.EventId, null,
            $"{m.At:HH:mm:ss.fff} training-progressed run={m.RunId} step={m.Step}{(m.TotalSteps is { } total ? $"/{total}" : "")} loss={m.Loss:F4} it/s={m.StepsPerSecond:F2}" +
            (m.Remaining is { } left ? $" remaining={left:hh\\:mm\\:ss}" : "")),
        TrainingCompleted m => new(m.EventId, null,
            $"{m.CompletedAt:HH:mm:ss.fff} training-completed run={m.RunId} model={m.Model}:v{m.Version} version={m.ModelVersionId} steps={m.Steps} loss={m.FinalLoss:F4}"),
        TrainingFailed m => new(m.EventId, null,
            $"{m.FailedAt:HH:mm:ss.fff} training-failed run={m.RunId} step={m.Step} canceled={m.Canceled.ToString().ToLowerInvariant()} reason={m.Reason}"),
        _ => throw new ArgumentException($"not a completion event: {message.GetType().FullName}"),
    };
}
