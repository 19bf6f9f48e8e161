using System.Threading.RateLimiting;
using ContextDiffusion.Server.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server.Http;

/// <summary>
/// ASP.NET Core's rate limiter over the API: requests a minute per API key (per client address without one), and
/// uploads in progress at once per key (<see cref="Uploads"/>), so one producer's loop cannot starve the others or
/// fill the server's memory with image bodies. The dashboard has its own login lockout and is not limited here.
/// </summary>
public static class ApiRateLimits
{
    public const string Uploads = "uploads";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services, ServerOptions options) => services.AddRateLimiter(limiter =>
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.StartsWithSegments("/v1") || context.Request.Path.StartsWithSegments("/health")
                ? RateLimitPartition.GetFixedWindowLimiter(Caller(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(""));
        limiter.AddPolicy(Uploads, context => RateLimitPartition.GetConcurrencyLimiter(Caller(context), _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.UploadsAtOnce, QueueLimit = options.UploadsAtOnce, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));
        limiter.OnRejected = async (rejected, cancellation) =>
        {
            var response = rejected.HttpContext.Response;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString("0");
            var what = rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == Uploads
                ? $"more than {options.UploadsAtOnce * 2} uploads at once (in progress and waiting) from this API key"
                : $"more than {options.RequestsPerMinute} requests a minute from this {(ApiCaller.From(rejected.HttpContext.User) is null ? "address" : "API key")}";
            await ApiErrors.Status(StatusCodes.Status429TooManyRequests, $"{what}; retry after {response.Headers.RetryAfter}").ExecuteAsync(rejected.HttpContext);
        };
    });

    /// <summary>
    /// The partition of a request: the API key that authenticated it (the limiter runs after authorization), else its
    /// client address; never the raw header, or every made-up key would get a fresh allowance and partition.
    /// </summary>
    private static string Caller(HttpContext context) => ApiCaller.From(context.User) is { } caller
        ? "key:" + caller.KeyName
        : "address:" + context.Connection.RemoteIpAddress;
}
