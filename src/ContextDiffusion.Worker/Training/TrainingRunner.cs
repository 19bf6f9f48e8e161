using System.Text.Json;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Training;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Messaging;
using ContextDiffusion.Pipeline.Models;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Training;

/// <summary>
/// Runs one training run at a time on this worker's device: fetches the dataset, starts from scratch, from
/// a base version (fine-tuning) or from the run's last checkpoint in S3 (resume), trains with a heartbeat
/// that renews the lease and reports progress, uploads every checkpoint, and registers the result as a new
/// model version. A cancel request or a lost lease stops it between steps; a stopping worker checkpoints
/// and gives the run back so another worker resumes it (the host waits for that in <see cref="StopAsync"/>).
/// </summary>
public sealed class TrainingRunner(IServiceScopeFactory scopes, ObjectStore store, ModelCache models, DatasetCache datasets, IOptions<WorkerOptions> options,
    IHostApplicationLifetime lifetime, WorkerActivity activity, ILogger<TrainingRunner> logger) : IHostedService, IDisposable
{
    private const double HoldOutShare = 0.1;
    private readonly CancellationTokenSource stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
    private Task? current;

    public bool Busy => current is { IsCompleted: false };

    /// <summary>The run in progress, for tests and shutdown.</summary>
    public Task Current => current ?? Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellation) => Task.CompletedTask;

    /// <summary>Stops the run between steps; it checkpoints and is given back before the process ends.</summary>
    public async Task StopAsync(CancellationToken cancellation)
    {
        await stopping.CancelAsync();
        await Current.WaitAsync(cancellation);
    }

    public void Start(TrainingRunRecord run)
    {
        current = Task.Factory.StartNew(() => RunAsync(run), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task RunAsync(TrainingRunRecord run)
    {
        var worker = options.Value.Name;
        try
        {
            activity.Set($"training run {run.Id}");
            var settings = JsonSerializer.Deserialize<TrainingRunSettings>(run.SettingsJson, ContractTypes.Json)!;
            var work = Path.Combine(options.Value.CacheDirectory, "runs", run.Id.ToString("N"));
            var modelDirectory = Path.Combine(work, "model");
            var datasetDirectory = await datasets.FetchAsync(settings.DatasetBucket, settings.DatasetPrefix, stopping.Token);
            var resume = await PrepareModelDirectoryAsync(run, settings, modelDirectory);
            using var model = resume || settings.BaseVersionId is not null
                ? ModelDirectory.Load(modelDirectory)
                : ModelDirectory.Create(ModelPresets.Get(settings.Preset) with { ContextDiff = settings.ContextDiff }, modelDirectory);
            model.UseDevice(models.Device);
            using var dataset = TrainingDataset.Load(DatasetManifest.Load(datasetDirectory), model.Config.Resolution, model.Config.ImageEncoder.ImageSize, HoldOutShare);
            var trainingOptions = new TrainingOptions
            {
                BatchSize = settings.BatchSize,
                Steps = settings.Steps,
                Duration = settings.Minutes is { } minutes ? TimeSpan.FromMinutes(minutes) : null,
                LearningRate = settings.LearningRate,
                CheckpointEvery = settings.CheckpointEvery,
                Seed = unchecked((ulong)settings.Seed),
            };
            trainingOptions.Validate();

            using var halt = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            RunPosition? latest = null;
            var heartbeat = HeartbeatAsync(run, () => latest, halt);
            long reached;
            double loss = double.NaN;
            var announced = !resume;
            try
            {
                reached = new Trainer(model, dataset, trainingOptions, modelDirectory).Run(resume, new InlineProgress<TrainingProgress>(p =>
                {
                    loss = p.Loss;
                    if (!announced) logger.LogInformation("training run {Run} resumed from its checkpoint at step {Step}", run.Id, p.Step - 1);
                    announced = true;
                    latest = new RunPosition(p.Step, p.TotalSteps, p.Loss, p.StepsPerSecond, p.Remaining?.TotalSeconds);
                    // Only while the lease is held: a run that is no longer ours writes nothing more.
                    if (p.Step % trainingOptions.CheckpointEvery == 0 && !halt.IsCancellationRequested)
                        UploadCheckpointAsync(run, modelDirectory).GetAwaiter().GetResult();
                }), halt.Token);
            }
            finally
            {
                await halt.CancelAsync();
            }
            await using var scope = scopes.CreateAsyncScope();
            var ledger = scope.ServiceProvider.GetRequiredService<TrainingLedger>();
            // The heartbeat ended when the run stopped; one more renewal says whether the run is still ours now,
            // right before anything is stored for it.
            if (!await heartbeat || !await ledger.HeartbeatAsync(run.Id, worker, run.Attempts, options.Value.TrainingLease, null))
            {
                logger.LogInformation("training run {Run}: lease lost or cancel requested; nothing more is stored", run.Id);
                await ledger.FailAsync(run.Id, worker, run.Attempts, "stopped before the end");
                return;
            }
            await UploadCheckpointAsync(run, modelDirectory);

            if (stopping.IsCancellationRequested)
            {
                await ledger.ReleaseAsync(run.Id, worker, run.Attempts);
                return;
            }
            if (!Finished(trainingOptions, reached))
            {
                // Stopped early: a cancel request, or another worker holds the run now (FailAsync then changes nothing).
                await ledger.FailAsync(run.Id, worker, run.Attempts, "stopped before the end");
                return;
            }
            var version = await RegisterAsync(scope.ServiceProvider.GetRequiredService<ModelRegistry>(), run, settings, model, modelDirectory);
            await ledger.SucceedAsync(run.Id, worker, run.Attempts, version.Id, version.ModelName, version.Version, reached, loss);
            logger.LogInformation("training run {Run} made {Model} v{Version} in {Steps} steps", run.Id, version.ModelName, version.Version, reached);
        }
        catch (Exception e)
        {
            logger.LogError(e, "training run {Run} failed", run.Id);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TrainingLedger>().FailAsync(run.Id, worker, run.Attempts, e.Message);
        }
        finally
        {
            activity.Set(null);
        }
    }

    /// <summary>A duration-bound run ends at its duration; a step-bound one at its steps.</summary>
    private bool Finished(TrainingOptions trainingOptions, long reached) =>
        !stopping.IsCancellationRequested && (trainingOptions.Steps is not { } steps || reached >= steps);

    /// <summary>Renews the lease with the latest position; returns false when the run stopped being ours or a cancel was requested.</summary>
    private Task<bool> HeartbeatAsync(TrainingRunRecord run, Func<RunPosition?> position, CancellationTokenSource halt)
    {
        var lease = options.Value.TrainingLease;
        RunPosition? sent = null;
        return LeaseRenewal.KeepAsync(lease, async () =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var now = position();
            var ours = await scope.ServiceProvider.GetRequiredService<TrainingLedger>()
                .HeartbeatAsync(run.Id, options.Value.Name, run.Attempts, lease, now == sent ? null : now);
            sent = now;
            return ours;
        }, halt, logger);
    }

    /// <summary>Lays out the run's model directory; true when it resumes from a checkpoint.</summary>
    private async Task<bool> PrepareModelDirectoryAsync(TrainingRunRecord run, TrainingRunSettings settings, string modelDirectory)
    {
        if (Directory.Exists(modelDirectory)) Directory.Delete(modelDirectory, recursive: true);
        if (run.CheckpointPrefix is { } checkpoint)
        {
            await store.DownloadDirectoryAsync(store.Options.ModelsBucket, checkpoint, modelDirectory, stopping.Token);
            if (TrainingCheckpoint.Exists(modelDirectory)) return true;
            Directory.Delete(modelDirectory, recursive: true);
        }
        if (settings.BaseVersionId is { } baseVersion)
        {
            await using var scope = scopes.CreateAsyncScope();
            var version = await scope.ServiceProvider.GetRequiredService<PipelineDbContext>().ModelVersions.FindAsync([baseVersion], stopping.Token)
                          ?? throw new InvalidDataException($"base model version {baseVersion} is not registered");
            await store.DownloadDirectoryAsync(version.Bucket, version.Prefix, modelDirectory, stopping.Token);
        }
        return false;
    }

    /// <summary>Uploads the checkpoint, its state file last (a checkpoint counts once that is there), then records it.</summary>
    private async Task UploadCheckpointAsync(TrainingRunRecord run, string modelDirectory)
    {
        var prefix = ObjectKeys.Checkpoint(run.Id, run.Attempts);
        await store.UploadDirectoryAsync(modelDirectory, store.Options.ModelsBucket, prefix, CancellationToken.None);
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TrainingLedger>().CheckpointedAsync(run.Id, options.Value.Name, run.Attempts, prefix);
    }

    private async Task<ModelVersionRecord> RegisterAsync(ModelRegistry registry, TrainingRunRecord run, TrainingRunSettings settings,
        ContextDiffusionModel model, string modelDirectory)
    {
        // A version holds the inference files only; the optimizer state stays with the run's checkpoint.
        var files = Path.Combine(Path.GetDirectoryName(modelDirectory)!, "version");
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        Directory.CreateDirectory(files);
        File.Copy(Path.Combine(modelDirectory, ModelDirectory.ConfigFileName), Path.Combine(files, ModelDirectory.ConfigFileName));
        File.Copy(Path.Combine(modelDirectory, ModelDirectory.WeightsFileName), Path.Combine(files, ModelDirectory.WeightsFileName));
        var tokenizer = Path.Combine(files, ModelDirectory.TokenizerFolderName);
        Directory.CreateDirectory(tokenizer);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(modelDirectory, ModelDirectory.TokenizerFolderName)))
            File.Copy(file, Path.Combine(tokenizer, Path.GetFileName(file)));
        return await registry.RegisterAsync(run.ModelName, files, model.Config.Name, model.Config.Resolution, ModelDirectory.ToJson(model.Config),
            settings.BaseVersionId, run.Id, settings.Promote);
    }

    public void Dispose() => stopping.Dispose();
}
