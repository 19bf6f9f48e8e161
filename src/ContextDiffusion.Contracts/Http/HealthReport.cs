namespace ContextDiffusion.Contracts.Http;

/// <summary>GET /health when every dependency answers: "ok" and each check by name (postgres, s3).</summary>
public sealed record HealthReport(string Status, IReadOnlyDictionary<string, string> Checks);
