using System.Security.Claims;
using ContextDiffusion.Pipeline.Data;
using Microsoft.AspNetCore.Http;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// The API key behind a request, as <see cref="ApiKeyAuthentication"/> found it: endpoints take it as a parameter
/// and see through it only what its owner made (an admin sees everything). Another owner's batch or run is
/// answered as unknown (404), not forbidden, so ids of other teams' work cannot be probed.
/// </summary>
public sealed record ApiCaller(string KeyName, string Owner, ApiRole Role)
{
    public const string OwnerClaim = "cdiff:owner";

    public bool IsAdmin => Role == ApiRole.Admin;

    /// <summary>The owner whose work this caller may see and change; null for an admin (every owner's).</summary>
    public string? OwnerFilter => IsAdmin ? null : Owner;

    /// <summary>Minimal APIs bind the parameter from the authenticated user; the endpoints' policies guarantee one.</summary>
    public static ValueTask<ApiCaller?> BindAsync(HttpContext context) => ValueTask.FromResult(From(context.User));

    public static ApiCaller? From(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthentication.SchemeName, Name: { } name }
        && user.FindFirstValue(OwnerClaim) is { } owner && Enum.TryParse<ApiRole>(user.FindFirstValue(ClaimTypes.Role), out var role)
            ? new ApiCaller(name, owner, role)
            : null;

    public IQueryable<BatchRecord> Batches(PipelineDbContext db) => IsAdmin ? db.Batches : db.Batches.Where(b => b.Owner == Owner);

    public IQueryable<TrainingRunRecord> TrainingRuns(PipelineDbContext db) => IsAdmin ? db.TrainingRuns : db.TrainingRuns.Where(r => r.Owner == Owner);
}
