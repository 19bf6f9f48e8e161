namespace ContextDiffusion.Pipeline.Data;

/// <summary>
/// The columns of a run that one worker at a time holds through a lease (training, evaluation): see
/// <see cref="Leases.RunLease"/>. An attempt is one claim; it identifies the holder together with the owner.
/// </summary>
public interface ILeasedRun
{
    Guid Id { get; }
    RunState State { get; set; }
    int Attempts { get; set; }
    string? LeaseOwner { get; set; }
    DateTimeOffset? LeaseExpiresAt { get; set; }
    string? Error { get; set; }
    DateTimeOffset? StartedAt { get; set; }
    DateTimeOffset? CompletedAt { get; set; }
}
