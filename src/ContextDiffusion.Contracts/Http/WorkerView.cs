namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /v1/workers: a worker process, its device and its last heartbeat, for operators.</summary>
public sealed record WorkerView(
    string Name, string Device, string Host, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, string? Activity, long ItemsDone);
