namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// A training run: what to train (settings as JSON, see <see cref="Training.TrainingRunSettings"/>), where it is
/// (step, loss, checkpoint in S3) and who runs it (a lease that its worker renews while it trains).
/// </summary>
public sealed class TrainingRunRecord : ILeasedRun
{
    public Guid Id { get; set; }

    /// <summary>The owner of the API key that started it; null for runs the scheduler started (only admins see those).</summary>
    public string? Owner { get; set; }

    public string ModelName { get; set; } = "";
    public string SettingsJson { get; set; } = "{}";
    public RunState State { get; set; }
    public bool CancelRequested { get; set; }
    public int Attempts { get; set; }
    public long Step { get; set; }
    public long? TotalSteps { get; set; }
    public double? Loss { get; set; }
    public double? StepsPerSecond { get; set; }
    public double? RemainingSeconds { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>The S3 prefix of the latest checkpoint (a model directory with its training/ state), for resume.</summary>
    public string? CheckpointPrefix { get; set; }

    public Guid? ResultVersionId { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
