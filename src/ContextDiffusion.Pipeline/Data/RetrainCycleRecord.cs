namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// One scheduled retraining, followed from the training run through the evaluations to the promotion
/// decision, so the decision survives restarts and is made once. <see cref="Reason"/> says why the candidate
/// was promoted or not, in the terms of the promotion policy.
/// </summary>
public sealed class RetrainCycleRecord
{
    public Guid Id { get; set; }
    public string ScheduleName { get; set; } = "";
    public Guid ScheduleRunId { get; set; }
    public string ModelName { get; set; } = "";
    public Guid BaselineVersionId { get; set; }
    public Guid DatasetVersionId { get; set; }
    public Guid TrainingRunId { get; set; }
    public int? EvaluationLimit { get; set; }
    public Guid? CandidateVersionId { get; set; }
    public Guid? CandidateEvaluationId { get; set; }
    public Guid? BaselineEvaluationId { get; set; }
    public RetrainState State { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}
