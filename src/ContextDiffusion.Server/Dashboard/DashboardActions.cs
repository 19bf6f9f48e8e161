using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Server.Dashboard.Auth;
using ContextDiffusion.Server.Training;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ContextDiffusion.Server.Dashboard;

/// <summary>
/// The dashboard's changes: cancel a batch, cancel a training run, promote a model version. Each is a POST
/// form that needs an admin (a read-only user gets 403 even with a forged request) and an antiforgery token
/// (bound from the form, so ASP.NET Core checks it before the handler runs). Each goes through the same
/// services as the API, then back to the page it came from.
/// </summary>
public static class DashboardActions
{
    public static void Map(RouteGroupBuilder dashboard)
    {
        var actions = dashboard.MapGroup("").RequireAuthorization(DashboardRoles.ChangePolicy);
        actions.MapPost("/batches/{id:guid}/cancel", CancelBatchAsync);
        actions.MapPost("/training/{id:guid}/cancel", CancelRunAsync);
        actions.MapPost("/models/versions/{id:guid}/promote", PromoteAsync);
    }

    /// <summary>Canceling a batch that already ended changes nothing; the page then shows its final state.</summary>
    private static async Task<IResult> CancelBatchAsync(Guid id, [FromForm] string? returnUrl, ItemLedger ledger, CancellationToken cancellation)
    {
        await ledger.CancelBatchAsync(id, cancellation);
        return Back(returnUrl, DashboardPaths.Batch(id));
    }

    private static async Task<IResult> CancelRunAsync(Guid id, [FromForm] string? returnUrl, TrainingRuns runs, CancellationToken cancellation)
    {
        await runs.CancelAsync(id, owner: null, cancellation);
        return Back(returnUrl, DashboardPaths.Run(id));
    }

    private static async Task<IResult> PromoteAsync(Guid id, [FromForm] string? returnUrl, ModelRegistry registry, CancellationToken cancellation)
    {
        try
        {
            await registry.PromoteAsync(id, cancellation);
        }
        catch (UnknownModelException e)
        {
            return Results.NotFound(e.Message);
        }
        return Back(returnUrl, DashboardPaths.Models);
    }

    /// <summary>303 to the page the form was on; only to a dashboard path, so the form cannot be made an open redirect.</summary>
    public static IResult Back(string? returnUrl, string fallback) => new SeeOther(IsLocal(returnUrl) ? returnUrl! : fallback);

    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url.StartsWith(DashboardPaths.Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\');

    /// <summary>303 See Other: after a POST the browser GETs the page, so a reload does not repeat the action.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
