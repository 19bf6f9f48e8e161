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
/// the worker's device, then kept warm; the least recently used one is disposed past the limit.
/// Callers use a model under <see cref="UseAsync"/>, which runs their work on the <see cref="DeviceThread"/>,
/// one caller at a time; the loaded list is only touched there.
/// </summary>
public sealed class ModelCache(IServiceScopeFactory scopes, ObjectStore store, IOptions<WorkerOptions> options, ILogger<ModelCache> logger) : IDisposable
{
    private readonly SemaphoreSlim downloads = new(1, 1);
    private readonly DeviceThread device = new();
    private readonly LinkedList<(Guid Version, ContextDiffusionModel Model)> loaded = new();

    public Device Device { get; } = Device.Parse(options.Value.Device);

    public async Task<T> UseAsync<T>(Guid versionId, Func<ContextDiffusionModel, T> use, CancellationToken cancellation)
    {
        var directory = await DownloadAsync(versionId, cancellation);
        return await device.RunAsync(() => use(Get(versionId, directory)), cancellation);
    }

    private ContextDiffusionModel Get(Guid versionId, string directory)
    {
        var node = loaded.First;
        while (node is not null && node.Value.Version != versionId) node = node.Next;
        if (node is not null)
        {
            loaded.Remove(node);
            loaded.AddFirst(node);
            return node.Value.Model;
        }
        var model = ModelDirectory.Load(directory);
        model.UseDevice(Device);
        loaded.AddFirst((versionId, model));
        logger.LogInformation("loaded model version {Version} from {Directory} on {Device}", versionId, directory, Device);
        while (loaded.Count > Math.Max(1, options.Value.MaxLoadedModels))
        {
            loaded.Last!.Value.Model.Dispose();
            loaded.RemoveLast();
        }
        return model;
    }

    /// <summary>The version's model directory in the cache folder, downloaded first if missing (one download at a time).</summary>
    private async Task<string> DownloadAsync(Guid versionId, CancellationToken cancellation)
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
        device.Dispose();
        foreach (var (_, model) in loaded) model.Dispose();
        loaded.Clear();
        downloads.Dispose();
    }
}

/// <summary>A command names a model version that is not registered: every item of it fails with this reason.</summary>
public sealed class UnknownModelVersionException(Guid versionId) : Exception($"model version {versionId} is not registered")
{
    public Guid VersionId { get; } = versionId;
}
