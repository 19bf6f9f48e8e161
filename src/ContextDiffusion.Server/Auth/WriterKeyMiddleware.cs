using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Server.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// Every write under /v1 (any method but GET and HEAD) needs a writer key in <see cref="ApiKeys.Header"/>;
/// reads are open. A middleware rather than an endpoint filter, so an unauthenticated request is refused
/// before its body (a 100 MB batch, a folder of images) is read and bound.
/// </summary>
public sealed class WriterKeyMiddleware(RequestDelegate next)
{
    private static readonly object KeyItem = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1") || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var what = $"{context.Request.Method} {context.Request.Path}";
        var presented = context.Request.Headers[ApiKeys.Header].ToString();
        if (presented.Length == 0)
        {
            await ApiErrors.Status(StatusCodes.Status401Unauthorized, $"{what} needs a writer API key in the {ApiKeys.Header} header").ExecuteAsync(context);
            return;
        }
        var db = context.RequestServices.GetRequiredService<PipelineDbContext>();
        var key = await ApiKeys.FindAsync(db, presented, context.RequestAborted);
        if (key is null)
        {
            await ApiErrors.Status(StatusCodes.Status401Unauthorized, $"the API key in {ApiKeys.Header} is unknown or revoked").ExecuteAsync(context);
            return;
        }
        if (key.Role != ApiRole.Writer)
        {
            await ApiErrors.Status(StatusCodes.Status403Forbidden, $"API key '{key.Name}' is read-only; {what} needs a writer key").ExecuteAsync(context);
            return;
        }
        context.Items[KeyItem] = key.Name;
        await next(context);
    }

    /// <summary>The name of the writer key that authorised this request.</summary>
    public static string? KeyName(HttpContext context) => context.Items[KeyItem] as string;
}
