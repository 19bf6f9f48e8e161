using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using ContextDiffusion.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Pipeline.Tests.Worker;

// Logic only (no server touches it): the versions are already in the cache folder, so nothing is downloaded.
public sealed class ModelCacheTests : IDisposable
{
    private static readonly TimeSpan patience = TimeSpan.FromSeconds(30);
    private readonly string cacheDirectory = WorkerSettings.NewCacheDirectory();
    private readonly ObjectStore store = new(Options.Create(new S3Options()));

    private Guid CachedVersion()
    {
        var version = Guid.NewGuid();
        var directory = Path.Combine(cacheDirectory, "models", version.ToString("N"));
        using var model = ModelDirectory.Create(ModelPresets.Get("tiny"), directory);
        ModelDirectory.Save(model, directory);
        return version;
    }

    private ModelCache Cache(int lanes, int maxLoaded) => new(
        new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>(), store,
        Options.Create(new WorkerOptions { Device = "cpu", CacheDirectory = cacheDirectory, DeviceLanes = lanes, MaxLoadedModels = maxLoaded }),
        NullLogger<ModelCache>.Instance);

    [Fact]
    public async Task Lanes_share_one_load_of_a_version()
    {
        var version = CachedVersion();
        using var cache = Cache(lanes: 2, maxLoaded: 1);
        using var both = new Barrier(2);
        var first = cache.UseAsync(version, model => both.SignalAndWait(patience) ? model : null, CancellationToken.None);
        var second = cache.UseAsync(version, model => both.SignalAndWait(patience) ? model : null, CancellationToken.None);
        var models = await Task.WhenAll(first, second);
        Assert.NotNull(models[0]);
        Assert.Same(models[0], models[1]);
    }

    [Fact]
    public async Task A_version_in_use_on_one_lane_is_not_disposed_when_another_lane_loads_past_the_limit()
    {
        var (busy, other) = (CachedVersion(), CachedVersion());
        using var cache = Cache(lanes: 2, maxLoaded: 1);
        using var loadedBusy = new ManualResetEventSlim();
        using var loadedOther = new ManualResetEventSlim();
        ContextDiffusionModel? busyModel = null;
        var usingBusy = cache.UseAsync(busy, model =>
        {
            busyModel = model;
            loadedBusy.Set();
            Assert.True(loadedOther.Wait(patience));
            // The other lane has loaded a second version past the limit of one meanwhile: this one must still work.
            return model.NamedParameters().All(p => !p.Tensor.IsDisposed);
        }, CancellationToken.None);
        // The other version is loaded after the busy one, so it is the most recent.
        Assert.True(loadedBusy.Wait(patience));
        await cache.UseAsync(other, _ => 0, CancellationToken.None);
        loadedOther.Set();
        Assert.True(await usingBusy);
        // Once its pass is over, the least recently used version goes.
        Assert.All(busyModel!.NamedParameters(), p => Assert.True(p.Tensor.IsDisposed));
        Assert.Equal(1, await cache.UseAsync(other, model => model.NamedParameters().Any(p => p.Tensor.IsDisposed) ? 0 : 1, CancellationToken.None));
    }

    public void Dispose()
    {
        store.Dispose();
        if (Directory.Exists(cacheDirectory)) Directory.Delete(cacheDirectory, recursive: true);
    }
}
