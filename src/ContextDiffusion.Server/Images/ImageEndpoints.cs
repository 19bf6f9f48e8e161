using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server.Images;

/// <summary>POST /v1/images (multipart upload, validated) and POST /v1/images/presign (direct PUT to S3 for large sets).</summary>
public static class ImageEndpoints
{
    /// <summary>What a presigned upload may be called: the formats the workers decode.</summary>
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"];

    public static void MapImageEndpoints(this IEndpointRouteBuilder v1, ServerOptions options)
    {
        var images = v1.MapGroup("/images").WithTags("images");
        images.MapPost("/", UploadAsync)
            // Any other content type is a 415 from routing, before the handler runs.
            .Accepts<IFormFileCollection>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadRequestBytes))
            .WithFormOptions(multipartBodyLengthLimit: options.MaxUploadRequestBytes)
            // API keys, not cookies: there is no cross-site request to forge.
            .DisableAntiforgery()
            .RequireAuthorization(ApiPolicies.Write)
            .RequireRateLimiting(ApiRateLimits.Uploads);
        images.MapPost("/presign", Presign).RequireAuthorization(ApiPolicies.Write);
    }

    /// <summary>Stores every valid file; 200 when at least one was stored (the rest listed as rejected), 400 when none was.</summary>
    private static async Task<Results<Ok<UploadResult>, BadRequest<ApiError>>> UploadAsync(
        HttpRequest request, ImageUploads uploads, IOptions<ServerOptions> options, CancellationToken cancellation)
    {
        // Routing answers 415 to other content types, but lets a request without one through.
        if (!request.HasFormContentType) return ApiErrors.BadRequest("the body must be multipart/form-data with the images in the field \"files\"");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellation);
        }
        catch (InvalidDataException e)
        {
            return ApiErrors.BadRequest($"the body is not a valid multipart form: {e.Message}");
        }
        if (form.Files.Count == 0) return ApiErrors.BadRequest("the form holds no files");
        if (form.Files.Count > options.Value.MaxUploadFiles)
            return ApiErrors.BadRequest($"{form.Files.Count} files in one request; at most {options.Value.MaxUploadFiles}");
        var result = await uploads.StoreAsync(form.Files, cancellation);
        if (result.Uploaded.Count == 0)
        {
            var problems = result.Rejected.Select(r => $"{r.FileName}: {r.Reason}").ToList();
            return ApiErrors.BadRequest(problems.Count == 1 ? problems : ["no file was stored", .. problems]);
        }
        return TypedResults.Ok(result);
    }

    private static Results<Ok<PresignedUpload>, BadRequest<ApiError>> Presign(PresignRequest request, ObjectStore store)
    {
        var extension = Path.GetExtension(request.FileName ?? "").ToLowerInvariant();
        if (!ImageExtensions.Contains(extension))
            return ApiErrors.BadRequest($"fileName: '{request.FileName}' must end in one of {string.Join(", ", ImageExtensions)}");
        var image = new ObjectReference(store.Options.ImagesBucket, ObjectKeys.PresignedUpload(Guid.NewGuid(), extension));
        var expires = DateTimeOffset.UtcNow + store.Options.PresignedUrlLifetime;
        return TypedResults.Ok(new PresignedUpload(image, store.PresignPut(image, request.ContentType ?? ContentTypes.For(extension)), expires));
    }
}
