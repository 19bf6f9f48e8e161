using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContextDiffusion.Server.Http;

/// <summary>
/// Makes every failure an <see cref="Contracts.Http.ApiError"/> body: requests that cannot be bound (bad
/// JSON, a body over its limit), unknown routes and methods, and unexpected exceptions. An unexpected exception is
/// logged with the request's correlation id, and the caller gets only that id: exception text can name hosts,
/// paths, SQL and secrets, and is for the operator's log.
/// </summary>
public static class ErrorResponses
{
    public static void UseApiErrors(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorResponses));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await ApiErrors.Status(e.StatusCode, Describe(e)).ExecuteAsync(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                logger.LogError(e, "{Method} {Path} failed (correlation id {CorrelationId})", context.Request.Method, context.Request.Path, context.TraceIdentifier);
                await ApiErrors.Status(StatusCodes.Status500InternalServerError,
                    $"internal error; the server's log has it under correlation id {context.TraceIdentifier}").ExecuteAsync(context);
            }
        });
        app.UseStatusCodePages(async pages =>
        {
            var context = pages.HttpContext;
            var what = $"{context.Request.Method} {context.Request.Path}";
            var error = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"{what}: no such endpoint",
                StatusCodes.Status405MethodNotAllowed => $"{what}: method not allowed here",
                StatusCodes.Status413PayloadTooLarge => $"{what}: request body too large; the limit here is {context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize:N0} bytes",
                StatusCodes.Status415UnsupportedMediaType => $"{what}: unsupported content type '{context.Request.ContentType}'",
                var status => $"{what}: HTTP {status}",
            };
            await ApiErrors.Status(context.Response.StatusCode, error).ExecuteAsync(context);
        });
    }

    /// <summary>The binder's message is generic ("failed to read parameter"); the JSON error under it names the field.</summary>
    private static string Describe(BadHttpRequestException e) => e.InnerException switch
    {
        JsonException json => $"the request body is not valid: {json.Message}",
        { } inner => $"{e.Message} {inner.Message}",
        null => e.Message,
    };
}
