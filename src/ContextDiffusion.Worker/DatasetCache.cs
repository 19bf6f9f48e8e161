using ContextDiffusion.Model.Data;
using ContextDiffusion.Pipeline.Storage;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker;

/// <summary>
/// Dataset versions fetched into the worker's cache folder, for training and evaluation. A version never
/// changes, so a complete download is reused. A prefix without a manifest (files deleted, a wrong prefix)
/// fails naming the prefix, not later with a path in the cache folder that nobody recognises.
/// </summary>
public sealed class DatasetCache(ObjectStore store, IOptions<WorkerOptions> options)
{
    /// <summary>The local folder holding s3://<paramref name="bucket"/>/<paramref name="prefix"/>/, manifest.jsonl included.</summary>
    public async Task<string> FetchAsync(string bucket, string prefix, CancellationToken cancellation)
    {
        var directory = Path.Combine(options.Value.CacheDirectory, "datasets", bucket, prefix.Trim('/'));
        if (File.Exists(Path.Combine(directory, DatasetManifest.FileName))) return directory;
        var partial = directory + ".download";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        var files = await store.DownloadDirectoryAsync(bucket, prefix, partial, cancellation);
        if (!File.Exists(Path.Combine(partial, DatasetManifest.FileName)))
            throw new InvalidDataException($"s3://{bucket}/{prefix.TrimEnd('/')}/ holds {files} files but no {DatasetManifest.FileName}");
        Directory.Move(partial, directory);
        return directory;
    }
}
