using ContextDiffusion.Model;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Torch;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker;

/// <summary>
/// Loaded models by version: each version is downloaded once into the cache folder and loaded once onto
/// the worker's device, then kept warm; past the limit, the least recently used one that no pass is using
/// is disposed. Callers use a model under <see cref="UseAsync"/>, which runs their work on one of the
/// <see cref="DeviceThreads"/>; the device threads share a loaded model (passes only read its parameters).
/// </summary>
public sealed class ModelCache(IServiceScopeFactory scopes, ObjectStore store, IOptions<WorkerOptions> options, ILogger<ModelCache> logger) : IDisposable
{
    private sealed class Loaded(Guid version, ContextDiffusionModel model)
    {
        public Guid Version { get; } = version;
        public ContextDiffusionModel Model { get; } = model;
        public int Users { get; set; }
    }

    private readonly SemaphoreSlim downloads = new(1, 1);
    // Most recently used first; guarded by itself.
    private readonly LinkedList<Loaded> loaded = new();

    private readonly DeviceThreads threads = new(options.Value.LanesOn(Device.Parse(options.Value.Device)));

    public Device Device { get; } = Device.Parse(options.Value.Device);

    /// <summary>Model passes that run at once (<see cref="WorkerOptions.DeviceLanes"/>).</summary>
    public int Lanes => threads.Count;

    public async Task<T> UseAsync<T>(Guid versionId, Func<ContextDiffusionModel, T> use, CancellationToken cancellation)
    {
        var directory = await DownloadAsync(versionId, cancellation);
        return await threads.RunAsync(() =>
        {
            var entry = Acquire(versionId, directory);
            try
            {
                return use(entry.Model);
            }
            finally
            {
                Release(entry);
            }
        }, cancellation);
    }

    private Loaded Acquire(Guid versionId, string directory)
    {
        lock (loaded)
        {
            var node = loaded.First;
            while (node is not null && node.Value.Version != versionId) node = node.Next;
            if (node is not null) loaded.Remove(node);
            else
            {
                // Under the lock: a second lane asking for the same version waits for this load instead of loading it again.
                var model = ModelDirectory.Load(directory);
                model.UseDevice(Device);
                node = new LinkedListNode<Loaded>(new Loaded(versionId, model));
                logger.LogInformation("loaded model version {Version} from {Directory} on {Device}", versionId, directory, Device);
            }
            loaded.AddFirst(node);
            node.Value.Users++;
            return node.Value;
        }
    }

    private void Release(Loaded entry)
    {
        lock (loaded)
        {
            entry.Users--;
            // From the least recently used back, never the most recent: while an older version is still in use on
            // another lane, the cache stays over its limit until that pass ends, and then the older one goes.
            var node = loaded.Last;
            while (loaded.Count > Math.Max(1, options.Value.MaxLoadedModels) && node is not null && node != loaded.First)
            {
                var previous = node.Previous;
                if (node.Value.Users == 0)
                {
                    node.Value.Model.Dispose();
                    loaded.Remove(node);
                }
                node = previous;
            }
        }
    }

    /// <summary>The version's model directory in the cache folder, downloaded first if missing (one download at a time).</summary>
    public async Task<string> DownloadAsync(Guid versionId, CancellationToken cancellation)
    {
        var directory = Path.Combine(options.Value.CacheDirectory, "models", versionId.ToString("N"));
        if (ModelDirectory.Exists(directory)) return directory;
        await downloads.WaitAsync(cancellation);
        try
        {
            return ModelDirectory.Exists(directory) ? directory : await DownloadNewAsync(versionId, directory, cancellation);
        }
        finally
        {
            downloads.Release();
        }
    }

    private async Task<string> DownloadNewAsync(Guid versionId, string directory, CancellationToken cancellation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PipelineDbContext>();
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, cancellation)
                      ?? throw new UnknownModelVersionException(versionId);
        var partial = directory + ".download";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        var files = await store.DownloadDirectoryAsync(version.Bucket, version.Prefix, partial, cancellation);
        if (!ModelDirectory.Exists(partial))
            throw new InvalidDataException($"model {version.ModelName} v{version.Version}: s3://{version.Bucket}/{version.Prefix}/ holds {files} files but no complete model directory");
        Directory.Move(partial, directory);
        return directory;
    }

    public void Dispose()
    {
        threads.Dispose();
        foreach (var entry in loaded) entry.Model.Dispose();
        loaded.Clear();
        downloads.Dispose();
    }
}

/// <summary>A command names a model version that is not registered: every item of it fails with this reason.</summary>
public sealed class UnknownModelVersionException(Guid versionId) : Exception($"model version {versionId} is not registered")
{
    public Guid VersionId { get; } = versionId;
}
