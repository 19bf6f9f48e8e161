using ContextDiffusion.Imaging;
using ContextDiffusion.Pipeline;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Scheduler;
using ContextDiffusion.Server.Auth;
using ContextDiffusion.Server.Batches;
using ContextDiffusion.Server.Dashboard;
using ContextDiffusion.Server.Datasets;
using ContextDiffusion.Server.Evaluations;
using ContextDiffusion.Server.Health;
using ContextDiffusion.Server.Http;
using ContextDiffusion.Server.Images;
using ContextDiffusion.Server.Models;
using ContextDiffusion.Server.Schedules;
using ContextDiffusion.Server.Training;
using ContextDiffusion.Server.Workers;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Server;

/// <summary>
/// The API server: configuration from the environment (Postgres__ConnectionString, RabbitMq__Uri, S3__*,
/// Server__*), then <paramref name="configure"/>'s sources on top. At start it migrates the database,
/// creates the buckets and stores the bootstrap keys (<see cref="ServerInitializer"/>), then serves. It
/// publishes through the outbox and consumes nothing; it also runs the recovery of stranded work.
/// </summary>
public static class ServerHost
{
    public static WebApplication Build(string[] args, Action<IConfigurationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder.Configuration);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var services = builder.Services;
        services.AddOptions<ServerOptions>().Bind(builder.Configuration.GetSection(ServerOptions.Section))
            .Validate(o => o is { FailedKeysPerMinute: > 0, RequestsPerMinute: > 0, UploadsAtOnce: > 0 },
                "Server:FailedKeysPerMinute, Server:RequestsPerMinute and Server:UploadsAtOnce must be above 0")
            .ValidateOnStart();
        // First hosted service, so the schema and buckets exist before the outbox dispatcher and recovery run.
        services.AddHostedService<ServerInitializer>();
        services.AddPipelineCore(builder.Configuration);
        services.AddPipelineBus(builder.Configuration);
        services.AddHostedService<RecoveryService>();
        services.AddPipelineScheduler(builder.Configuration);
        services.AddSingleton(new ImageDecoder());
        services.AddSingleton<ImageUploads>();
        services.AddScoped<BatchSubmission>();
        services.AddScoped<TrainingRuns>();
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in options.TrustedProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        });
        services.AddApiKeyAuthorization();
        services.AddApiRateLimits(options);
        services.AddDashboard(builder.Configuration);
        services.AddOpenApi();
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.UseApiErrors();
        // The dashboard's cookie login by default; /v1's endpoints name the API key scheme in their policies.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapOpenApi();
        app.MapHealthEndpoints();
        var v1 = app.MapGroup("/v1").RequireAuthorization(ApiPolicies.Read);
        v1.MapImageEndpoints(options);
        v1.MapBatchEndpoints(options);
        v1.MapTrainingRunEndpoints();
        v1.MapModelEndpoints();
        v1.MapWorkerEndpoints();
        v1.MapScheduleEndpoints();
        v1.MapDatasetEndpoints();
        v1.MapEvaluationEndpoints();
        app.MapDashboard();
        return app;
    }
}
