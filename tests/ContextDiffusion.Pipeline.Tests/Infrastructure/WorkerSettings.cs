namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// Worker settings for tests: CPU, a unique name, a cache folder of its own, small micro-batches, and two device
/// lanes, so that every generation test also runs passes of one shared model side by side.
/// </summary>
public static class WorkerSettings
{
    public static string NewCacheDirectory() => Path.Combine(Path.GetTempPath(), "cdiff-tests", "worker-" + Guid.NewGuid().ToString("N"));

    public static Dictionary<string, string?> For(string cacheDirectory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Worker:Name"] = "test-worker-" + Guid.NewGuid().ToString("N")[..8],
            ["Worker:Device"] = "cpu",
            ["Worker:MicroBatchSize"] = "4",
            ["Worker:DeviceLanes"] = "2",
            ["Worker:CacheDirectory"] = cacheDirectory,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        return settings;
    }
}
