using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Training;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("trainer-tests").FullName;
    private static readonly Lazy<TrainingDataset> Data = new(() =>
        TrainingDataset.Load(DatasetManifest.Load(SharedData.Folder), resolution: 32, contextSize: 32, holdOutShare: 0.1, limit: 16));

    private static readonly TrainingOptions Options = new() { BatchSize = 2, Steps = 4, CheckpointEvery = 2, WarmupSteps = 1, Seed = 5 };

    private long Train(string directory, TrainingOptions options, bool resume)
    {
        using var model = ModelDirectory.Exists(directory) ? ModelDirectory.Load(directory) : NewModel(directory);
        return new Trainer(model, Data.Value, options, directory).Run(resume);
    }

    private static ContextDiffusionModel NewModel(string directory)
    {
        Torch.Torch.ManualSeed(1);
        return ModelDirectory.Create(ModelPresets.Get("tiny"), directory);
    }

    [Fact]
    public void Resumed_training_equals_uninterrupted_training()
    {
        string straight = Path.Combine(root, "straight"), resumed = Path.Combine(root, "resumed");
        Assert.Equal(4, Train(straight, Options, resume: false));
        Assert.Equal(2, Train(resumed, Options with { Steps = 2 }, resume: false));
        Assert.Equal(4, Train(resumed, Options, resume: true));

        foreach (var file in new[] { ModelDirectory.WeightsFileName, "training/raw.safetensors", "training/optimizer.safetensors", "training/ema.safetensors" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(straight, file)), File.ReadAllBytes(Path.Combine(resumed, file)));
    }

    [Fact]
    public void Training_reports_progress_and_changes_the_weights()
    {
        var directory = Path.Combine(root, "progress");
        var reports = new List<TrainingProgress>();
        using var model = NewModel(directory);
        var before = model.StateDict()["unet.conv_out.weight"].ToArray<float>();
        new Trainer(model, Data.Value, Options with { Steps = 3 }, directory).Run(false, new SynchronousProgress<TrainingProgress>(reports.Add));
        Assert.Equal([1L, 2, 3], reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.Loss) && r.Loss > 0));
        Assert.NotEqual(before, model.StateDict()["unet.conv_out.weight"].ToArray<float>());
        Assert.True(ModelDirectory.Exists(directory));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
