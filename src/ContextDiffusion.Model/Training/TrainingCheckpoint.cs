using System.Text.Json;
using ContextDiffusion.Torch.Optim;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Training;

/// <summary>
/// The training state kept in a model directory's <c>training/</c> folder beside the model itself (whose
/// <c>model.safetensors</c> holds the EMA weights, the ones to sample with): the raw weights, the
/// optimizer's and the EMA's state, and the step reached. Enough to resume exactly.
/// </summary>
public static class TrainingCheckpoint
{
    public const string FolderName = "training";
    private const string RawWeights = "raw.safetensors";
    private const string OptimizerState = "optimizer.safetensors";
    private const string EmaState = "ema.safetensors";
    private const string StateFile = "state.json";

    private sealed record State(long Step, ulong Seed);

    public static bool Exists(string modelDirectory) => File.Exists(Path.Combine(modelDirectory, FolderName, StateFile));

    public static void Save(string modelDirectory, ContextDiffusionModel model, AdamW optimizer, ExponentialMovingAverage ema, long step, ulong seed)
    {
        var folder = Path.Combine(modelDirectory, FolderName);
        Directory.CreateDirectory(folder);
        model.SaveSafetensors(Path.Combine(folder, RawWeights));
        optimizer.Save(Path.Combine(folder, OptimizerState));
        ema.Save(Path.Combine(folder, EmaState));
        // The inference weights: the averaged ones, swapped in just for writing.
        ema.Swap(model.TrainableParameters());
        try
        {
            ModelDirectory.Save(model, modelDirectory, new Dictionary<string, string> { ["step"] = $"{step}", ["weights"] = "ema" });
        }
        finally
        {
            ema.Swap(model.TrainableParameters());
        }
        // Written last: a checkpoint counts only once everything it names is on disk.
        File.WriteAllText(Path.Combine(folder, StateFile), JsonSerializer.Serialize(new State(step, seed)));
    }

    /// <summary>Restores weights, optimizer and EMA; returns the step reached and the run's seed.</summary>
    public static (long Step, ulong Seed) Load(string modelDirectory, ContextDiffusionModel model, AdamW optimizer, ExponentialMovingAverage ema)
    {
        var folder = Path.Combine(modelDirectory, FolderName);
        var state = JsonSerializer.Deserialize<State>(File.ReadAllText(Path.Combine(folder, StateFile)))
                    ?? throw new InvalidDataException($"{folder}: empty {StateFile}");
        model.LoadSafetensors(Path.Combine(folder, RawWeights));
        optimizer.Load(Path.Combine(folder, OptimizerState));
        ema.Load(Path.Combine(folder, EmaState));
        return (state.Step, state.Seed);
    }
}
