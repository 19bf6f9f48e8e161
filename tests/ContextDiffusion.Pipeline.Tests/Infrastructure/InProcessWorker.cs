using ContextDiffusion.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>A worker host in the test process, on the fixture's services, with a cache folder of its own.</summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly string cache;

    private InProcessWorker(IHost host, string cache)
    {
        Host = host;
        this.cache = cache;
    }

    public IHost Host { get; }

    /// <summary>The name its heartbeats, leases and events carry.</summary>
    public string Name => Host.Services.GetRequiredService<IOptions<WorkerOptions>>().Value.Name;

    public static async Task<InProcessWorker> StartAsync(PipelineFixture fixture, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var cache = WorkerSettings.NewCacheDirectory();
        var host = WorkerHost.Build([], config => config
            .AddInMemoryCollection(fixture.Configuration)
            .AddInMemoryCollection(WorkerSettings.For(cache, overrides)));
        await host.StartAsync();
        return new InProcessWorker(host, cache);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
    }
}
