namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// An evaluation of one model version on the held-out items of one dataset version: requested by a schedule
/// (or a retraining cycle), run by a worker under a lease it renews while it evaluates, which stores the
/// metrics (JSON of Contracts.EvaluationMetrics) and a grid image of query, context, output and truth.
/// </summary>
public sealed class EvaluationRunRecord : ILeasedRun
{
    public Guid Id { get; set; }
    public Guid ModelVersionId { get; set; }
    public Guid DatasetVersionId { get; set; }
    public int? Limit { get; set; }
    public RunState State { get; set; }
    public string? ScheduleName { get; set; }
    public string? MetricsJson { get; set; }
    public string? GridBucket { get; set; }
    public string? GridKey { get; set; }

    /// <summary>The worker that ended the run (the lease owner of its last attempt); the lease names whoever runs it now.</summary>
    public string? Worker { get; set; }

    public int Attempts { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseExpiresAt { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
