using ContextDiffusion.Torch;

namespace ContextDiffusion.Worker;

/// <summary>Configuration section "Worker": identity, device, batching and leases. Set per device: a GPU takes bigger micro-batches.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Unique per process; leases and events name it.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>cpu, cuda, cuda:N or best.</summary>
    public string Device { get; set; } = "best";

    /// <summary>Items generated together in one pass of the model.</summary>
    public int MicroBatchSize { get; set; } = 8;

    /// <summary>
    /// Model passes run at once, each on its own device thread (<see cref="DeviceThreads"/>). Unset: one on a
    /// GPU; on a CPU, the logical processors divided by libtorch's intra-op threads (CDIFF_THREADS), so that each pass runs
    /// on its own core. On the 2-core machines here two single-threaded passes side by side do 180 items/s of the
    /// tiny model, one pass on two threads 135: OpenMP's barriers over tensors this small waste CPU (docs/benchmarks.md).
    /// </summary>
    public int? DeviceLanes { get; set; }

    /// <summary>What <see cref="DeviceLanes"/> comes to on <paramref name="device"/>.</summary>
    public int LanesOn(Device device) => DeviceLanes switch
    {
        null => device.IsCuda ? 1 : Math.Max(1, Environment.ProcessorCount / Math.Max(1, Torch.Torch.NumThreads)),
        < 1 => throw new ArgumentException($"Worker:DeviceLanes must be at least 1, not {DeviceLanes}"),
        { } lanes => lanes,
    };

    /// <summary>GenerateItems messages collected into one delivery (each holds up to 8 items), and how long to wait for them.</summary>
    public int MessagesPerDelivery { get; set; } = 4;

    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Unacknowledged messages RabbitMQ hands this worker ahead of time.</summary>
    public int Prefetch { get; set; } = 8;

    /// <summary>
    /// How long a claimed item stays ours without a renewal: the worker renews it every few seconds while the
    /// item is in flight, so this only bounds how soon a dead worker's items move on.
    /// </summary>
    public TimeSpan ItemLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A training run's lease, renewed every third of it while the run trains.</summary>
    public TimeSpan TrainingLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>An evaluation run's lease, renewed every third of it (at most 10 s) while the evaluator runs.</summary>
    public TimeSpan EvaluationLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Model versions kept loaded at once (each load is seconds to minutes; they stay warm). With several lanes on
    /// different versions, keep it at least <see cref="DeviceLanes"/>, or the lanes take turns reloading.
    /// </summary>
    public int MaxLoadedModels { get; set; } = 2;

    /// <summary>Memory for the decoded pixels of uploaded images that many items share (context photos).</summary>
    public long InputCacheBytes { get; set; } = 256L << 20;

    /// <summary>Memory for those images resized to the models' inputs (a 32 px square is 3 KiB, a 512 px one 768 KiB).</summary>
    public long ModelInputCacheBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Downloaded models, datasets and training work folders. Unset: a folder of this worker's own, named after
    /// <see cref="Name"/> under the temporary folder, so two workers on one host (one per GPU) never share one.
    /// Give each worker a stable <see cref="Name"/> (or set this) to keep its downloads across restarts.
    /// </summary>
    public string CacheDirectory
    {
        get => cacheDirectory ?? Path.Combine(Path.GetTempPath(), "cdiff-worker", string.Concat(Name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_')));
        set => cacheDirectory = value;
    }

    private string? cacheDirectory;

    /// <summary>Whether this worker takes training runs (a generation-only fleet sets false).</summary>
    public bool Train { get; set; } = true;

    /// <summary>Fault injection (<see cref="FaultInjection"/>): the folder where crash files arm a crash. Unset in production.</summary>
    public string? FaultDirectory { get; set; }

    /// <summary>Fault injection: items whose prompt contains this break the model's pass. Unset in production.</summary>
    public string? PoisonPrompt { get; set; }
}
