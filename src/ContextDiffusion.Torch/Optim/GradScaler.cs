using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// Dynamic loss scaling for float16 training (PyTorch's GradScaler). float16 gradients of small
/// magnitude underflow to zero, so the loss is multiplied by a large scale before backward and the
/// gradients are divided by it before the step. A step whose gradients overflowed (inf or NaN) is
/// skipped and the scale halves; after <c>growthInterval</c> clean steps in a row it doubles.
/// bfloat16 has float32's range and needs none of this.
/// <code>
/// using (Torch.Autocast(DeviceType.Cuda, DType.Float16)) loss = ...;
/// scaler.ScaleLoss(loss).Backward();
/// scaler.Unscale(optimizer);                              // only when clipping
/// GradientClipping.ClipGradNorm(optimizer.Parameters, 1.0);
/// scaler.Step(optimizer);
/// scaler.Update();
/// </code>
/// </summary>
public sealed class GradScaler
{
    private const string StateKind = "GradScaler";

    private bool? foundInf;

    public GradScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
    {
        CheckSettings(initialScale, growthFactor, backoffFactor, growthInterval);
        (Scale, GrowthFactor, BackoffFactor, GrowthInterval) = (initialScale, growthFactor, backoffFactor, growthInterval);
    }

    public double Scale { get; private set; }
    public double GrowthFactor { get; private set; }
    public double BackoffFactor { get; private set; }
    public int GrowthInterval { get; private set; }

    /// <summary>Clean steps since the scale last changed.</summary>
    public int GrowthTracker { get; private set; }

    /// <summary>The loss times the scale, to back-propagate instead of the loss.</summary>
    public Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>
    /// Divides the optimizer's gradients by the scale and notes whether any is inf or NaN. Call it
    /// before anything that reads the gradients (clipping); at most once between two <see cref="Update"/>s.
    /// </summary>
    public unsafe void Unscale(AdamW optimizer)
    {
        if (foundInf is not null) throw new InvalidOperationException("the gradients were already unscaled since the last Update()");
        var handles = Tensor.HandlesOf([.. optimizer.Parameters]);
        int result;
        // A float32 reciprocal of the scale, as PyTorch multiplies by.
        fixed (IntPtr* p = handles)
            result = LibTorch.cdt_unscale_grads(p, handles.Length, (float)(1.0 / Scale));
        if (result < 0) throw new TorchException("unscale_grads", $"unscale_grads failed for {handles.Length} parameters: {LibTorch.LastError()}");
        foundInf = result == 1;
    }

    /// <summary>Unscales (unless <see cref="Unscale"/> already did) and steps when every gradient is finite. Returns whether it stepped.</summary>
    public bool Step(AdamW optimizer)
    {
        if (foundInf is null) Unscale(optimizer);
        if (foundInf == true) return false;
        optimizer.Step();
        return true;
    }

    /// <summary>Adjusts the scale for the next iteration: backs off after an overflow, grows after enough clean steps.</summary>
    public void Update()
    {
        if (foundInf is null) throw new InvalidOperationException("Update() needs a Step() or Unscale() since the last Update()");
        if (foundInf == true)
        {
            Scale *= BackoffFactor;
            GrowthTracker = 0;
        }
        else if (++GrowthTracker == GrowthInterval)
        {
            // Grown only while it stays a finite float32, as PyTorch keeps the scale in float32.
            if (float.IsFinite((float)(Scale * GrowthFactor))) Scale *= GrowthFactor;
            GrowthTracker = 0;
        }
        foundInf = null;
    }

    /// <summary>Writes the scale, the growth tracker and the factors (a safetensors file with metadata only).</summary>
    public void Save(string path)
    {
        var metadata = new Dictionary<string, string>
        {
            ["scale"] = TrainingStateFile.Format(Scale),
            ["growth_factor"] = TrainingStateFile.Format(GrowthFactor),
            ["backoff_factor"] = TrainingStateFile.Format(BackoffFactor),
            ["growth_interval"] = TrainingStateFile.Format(GrowthInterval),
            ["growth_tracker"] = TrainingStateFile.Format(GrowthTracker),
        };
        TrainingStateFile.Write(path, StateKind, [], metadata);
    }

    public void Load(string path)
    {
        using var file = TrainingStateFile.Open(path, StateKind);
        var scale = TrainingStateFile.ReadDouble(file, "scale");
        var growthFactor = TrainingStateFile.ReadDouble(file, "growth_factor");
        var backoffFactor = TrainingStateFile.ReadDouble(file, "backoff_factor");
        var growthInterval = checked((int)TrainingStateFile.ReadLong(file, "growth_interval"));
        var growthTracker = checked((int)TrainingStateFile.ReadLong(file, "growth_tracker"));
        CheckSettings(scale, growthFactor, backoffFactor, growthInterval);
        (Scale, GrowthFactor, BackoffFactor, GrowthInterval, GrowthTracker) = (scale, growthFactor, backoffFactor, growthInterval, growthTracker);
        foundInf = null;
    }

    private static void CheckSettings(double scale, double growthFactor, double backoffFactor, int growthInterval)
    {
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "the scale must be > 0");
        if (!(growthFactor > 1)) throw new ArgumentOutOfRangeException(nameof(growthFactor), growthFactor, "the growth factor must be > 1");
        if (backoffFactor is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(backoffFactor), backoffFactor, "the backoff factor must be in (0, 1)");
        if (growthInterval <= 0) throw new ArgumentOutOfRangeException(nameof(growthInterval), growthInterval, "the growth interval must be > 0");
    }
}
