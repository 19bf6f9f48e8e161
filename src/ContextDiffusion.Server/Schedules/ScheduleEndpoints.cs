using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Scheduler.Retraining;
using ContextDiffusion.Scheduler.Schedules;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ContextDiffusion.Server.Schedules;

/// <summary>
/// Schedules: create, read (with next fire times and the latest run), edit, delete, pause, resume, trigger now,
/// and their run history: an admin's, since schedules act for every owner and name worker paths. The promotion
/// policy retraining is judged by is open to every key.
/// </summary>
public static class ScheduleEndpoints
{
    public const int MaxRunsLimit = 500;

    public static void MapScheduleEndpoints(this IEndpointRouteBuilder v1)
    {
        var schedules = v1.MapGroup("/schedules").WithTags("schedules").RequireAuthorization(ApiPolicies.Admin);
        schedules.MapGet("/", async (ScheduleService service, CancellationToken cancellation) => TypedResults.Ok(await service.ListAsync(cancellation)));
        schedules.MapPost("/", CreateAsync);
        schedules.MapGet("/{name}", (string name, ScheduleService service, CancellationToken cancellation) => Answer(() => service.GetAsync(name, cancellation)));
        schedules.MapPut("/{name}", (string name, ScheduleRequest request, ScheduleService service, CancellationToken cancellation) =>
            Answer(() => service.UpdateAsync(name, request, cancellation)));
        schedules.MapDelete("/{name}", DeleteAsync);
        schedules.MapPost("/{name}/pause", (string name, ScheduleService service, CancellationToken cancellation) => Answer(() => service.PauseAsync(name, cancellation)));
        schedules.MapPost("/{name}/resume", (string name, ScheduleService service, CancellationToken cancellation) => Answer(() => service.ResumeAsync(name, cancellation)));
        schedules.MapPost("/{name}/trigger", (string name, ScheduleService service, CancellationToken cancellation) => Answer(() => service.TriggerAsync(name, cancellation)));
        schedules.MapGet("/{name}/runs", RunsAsync);
        v1.MapGet("/promotion-policy", (PromotionPolicy policy) => TypedResults.Ok(policy.View)).WithTags("schedules");
    }

    private static async Task<Results<Created<ScheduleView>, BadRequest<ApiError>, Conflict<ApiError>>> CreateAsync(
        ScheduleRequest request, ScheduleService service, CancellationToken cancellation)
    {
        try
        {
            var view = await service.CreateAsync(request, cancellation);
            return TypedResults.Created($"/v1/schedules/{view.Name}", view);
        }
        catch (ScheduleProblemsException e)
        {
            return ApiErrors.BadRequest(e.Problems);
        }
        catch (ScheduleExistsException e)
        {
            return ApiErrors.Conflict(e.Message);
        }
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> DeleteAsync(string name, ScheduleService service, CancellationToken cancellation)
    {
        try
        {
            await service.DeleteAsync(name, cancellation);
            return TypedResults.NoContent();
        }
        catch (ScheduleNotFoundException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<ScheduleRunView>>, BadRequest<ApiError>, NotFound<ApiError>>> RunsAsync(
        string name, int? limit, ScheduleService service, CancellationToken cancellation)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxRunsLimit) return ApiErrors.BadRequest($"limit: {take}; must be 1 to {MaxRunsLimit}");
        try
        {
            return TypedResults.Ok(await service.RunsAsync(name, take, cancellation));
        }
        catch (ScheduleNotFoundException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
    }

    /// <summary>One schedule as the answer: 400 naming the fields of an invalid edit, 404 for an unknown name.</summary>
    private static async Task<Results<Ok<ScheduleView>, BadRequest<ApiError>, NotFound<ApiError>>> Answer(Func<Task<ScheduleView>> action)
    {
        try
        {
            return TypedResults.Ok(await action());
        }
        catch (ScheduleProblemsException e)
        {
            return ApiErrors.BadRequest(e.Problems);
        }
        catch (ScheduleNotFoundException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
    }
}
