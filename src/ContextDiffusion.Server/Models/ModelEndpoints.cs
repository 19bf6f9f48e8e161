using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Models;

/// <summary>Models with their versions (lineage, files), and promoting a version to be its model's default.</summary>
public static class ModelEndpoints
{
    public static void MapModelEndpoints(this IEndpointRouteBuilder v1)
    {
        var models = v1.MapGroup("/models").WithTags("models");
        models.MapGet("/", ListAsync);
        // A promotion changes the default model of every owner's batches.
        models.MapPost("/versions/{id:guid}/promote", PromoteAsync).RequireAuthorization(ApiPolicies.Admin);
    }

    private static async Task<Ok<List<ModelView>>> ListAsync(PipelineDbContext db, CancellationToken cancellation)
    {
        var models = await db.Models.AsNoTracking().OrderBy(m => m.Name).ToListAsync(cancellation);
        var versions = (await db.ModelVersions.AsNoTracking().OrderBy(v => v.Version).ToListAsync(cancellation)).ToLookup(v => v.ModelName);
        return TypedResults.Ok(models.Select(model => View(model, versions[model.Name])).ToList());
    }

    /// <summary>The model after the promotion: batches that name no version get this one from now on.</summary>
    private static async Task<Results<Ok<ModelView>, NotFound<ApiError>>> PromoteAsync(Guid id, ModelRegistry registry, PipelineDbContext db, CancellationToken cancellation)
    {
        try
        {
            await registry.PromoteAsync(id, cancellation);
        }
        catch (UnknownModelException e)
        {
            return ApiErrors.NotFound(e.Message);
        }
        var name = await db.ModelVersions.Where(v => v.Id == id).Select(v => v.ModelName).SingleAsync(cancellation);
        var model = await db.Models.AsNoTracking().SingleAsync(m => m.Name == name, cancellation);
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.ModelName == name).OrderBy(v => v.Version).ToListAsync(cancellation);
        return TypedResults.Ok(View(model, versions));
    }

    private static ModelView View(ModelRecord model, IEnumerable<ModelVersionRecord> versions) => new(
        model.Name, model.PromotedVersionId,
        versions.Select(v => new ModelVersionView(
            v.Id, v.ModelName, v.Version, v.ConfigName, v.Resolution, v.Id == model.PromotedVersionId,
            ModelRegistry.FilesOf(v), v.ParentVersionId, v.TrainingRunId, v.CreatedAt)).ToList());
}
