namespace ContextDiffusion.Pipeline.Data;

/// <summary>One point of a run's loss curve.</summary>
public sealed class TrainingPointRecord
{
    public Guid RunId { get; set; }
    public long Step { get; set; }
    public double Loss { get; set; }
    public DateTimeOffset At { get; set; }
}
