using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Health;

/// <summary>
/// GET /health: 200 when PostgreSQL and S3 both answer, 503 when one does not. Open, for load balancers and
/// probes, but only an admin key is told which check failed and why: the reasons name hosts, ports and errors.
/// </summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static void MapHealthEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", CheckHealthAsync).WithTags("health");

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<ApiError>>> CheckHealthAsync(
        HttpContext context, PipelineDbContext db, ObjectStore store, CancellationToken cancellation)
    {
        var admin = ApiCaller.From((await context.AuthenticateAsync(ApiKeyAuthentication.SchemeName)).Principal ?? new()) is { IsAdmin: true };
        var postgres = CheckAsync(async token => await db.Database.ExecuteSqlRawAsync("SELECT 1", token), cancellation);
        // Any answer from S3 will do, "no such object" included: it is reachability that is checked.
        var s3 = CheckAsync(async token => await store.StatAsync(new(store.Options.ImagesBucket, "health-check"), token), cancellation);
        var checks = new Dictionary<string, string> { ["postgres"] = await postgres, ["s3"] = await s3 };
        var failed = checks.Where(c => c.Value != "ok").Select(c => $"{c.Key}: {c.Value}").ToList();
        if (failed.Count == 0) return TypedResults.Ok(new HealthReport("ok", admin ? checks : new Dictionary<string, string>()));
        return admin
            ? ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, $"unhealthy: {string.Join("; ", failed)}", failed)
            : ApiErrors.Status(StatusCodes.Status503ServiceUnavailable, "unhealthy (an admin API key is told why)");
    }

    private static async Task<string> CheckAsync(Func<CancellationToken, Task> check, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            await check(timeout.Token);
            return "ok";
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            return timeout.IsCancellationRequested ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message;
        }
    }
}
