using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Server.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Server;

/// <summary>
/// Runs before anything else of the server starts (it is the first hosted service, and hosted services
/// start before Kestrel): applies the migrations, creates the buckets and stores the bootstrap keys. A
/// failure here stops the server instead of letting it serve against a schema it does not know.
/// </summary>
public sealed class ServerInitializer(IServiceScopeFactory scopes, ObjectStore store, IOptions<ServerOptions> options, ILogger<ServerInitializer> logger) : IHostedService
{
    /// <summary>The owner of the bootstrap keys: the reader sees what the admin key submitted.</summary>
    public const string BootstrapOwner = "bootstrap";

    public async Task StartAsync(CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        await db.Database.MigrateAsync(cancellation);
        await store.EnsureBucketsAsync(cancellation);
        if (options.Value.BootstrapApiKey is { Length: > 0 } admin && await ApiKeys.EnsureAsync(db, "bootstrap-admin", BootstrapOwner, admin, ApiRole.Admin, cancellation))
            logger.LogInformation("stored the bootstrap admin key");
        if (options.Value.BootstrapReadOnlyKey is { Length: > 0 } reader && await ApiKeys.EnsureAsync(db, "bootstrap-reader", BootstrapOwner, reader, ApiRole.Reader, cancellation))
            logger.LogInformation("stored the bootstrap read-only key");
    }

    public Task StopAsync(CancellationToken cancellation) => Task.CompletedTask;
}
