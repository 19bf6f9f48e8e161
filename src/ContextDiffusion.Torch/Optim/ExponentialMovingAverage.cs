using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// An exponential moving average of model weights (the weights diffusion models are usually sampled
/// with): after each optimizer step, <c>average += (1 - d) * (param - average)</c>.
/// <para>
/// With <c>warmup</c> the decay follows diffusers' EMAModel: d = 0 at the first update (the average
/// becomes the weights), then min(decay, (1 + n) / (10 + n)) at the update that follows n earlier ones,
/// so that the early, fast-changing weights are not averaged in for long. Without it d = decay always.
/// </para>
/// <para>
/// The averages are named like the parameters they follow, so a saved average is also a weights file
/// that a model of the same architecture loads as it is. The object owns the averages; dispose it.
/// </para>
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    private const string StateKind = "ExponentialMovingAverage";

    private readonly string[] names;
    private readonly Tensor[] averages;
    private bool disposed;

    /// <summary>Starts the averages as copies of <paramref name="parameters"/>.</summary>
    public ExponentialMovingAverage(IEnumerable<(string Name, Tensor Tensor)> parameters, double decay = 0.9999, bool warmup = true)
    {
        if (decay is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must be in [0, 1]");
        (names, var tensors) = NamedParameters.Split(parameters, nameof(ExponentialMovingAverage));
        averages = DisposeScope.Outside(() => tensors.Select(CopyOf).ToArray());
        Decay = decay;
        Warmup = warmup;
    }

    public double Decay { get; private set; }
    public bool Warmup { get; private set; }

    /// <summary>How many times <see cref="Update"/> has run.</summary>
    public long Updates { get; private set; }

    /// <summary>The averages by parameter name; they stay owned by this object.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> Averages => names.Zip(averages);

    /// <summary>The decay the next <see cref="Update"/> applies.</summary>
    public double NextDecay => !Warmup ? Decay : Updates == 0 ? 0 : Math.Min(Decay, (1.0 + Updates) / (10.0 + Updates));

    /// <summary>Moves the averages towards <paramref name="parameters"/> (the same names in the same order).</summary>
    public unsafe void Update(IEnumerable<(string Name, Tensor Tensor)> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var a = Tensor.HandlesOf(averages);
        var p = Tensor.HandlesOf(Match(parameters));
        int status;
        fixed (IntPtr* ap = a, pp = p)
            status = LibTorch.cdt_ema_update(ap, pp, a.Length, NextDecay);
        if (status != 0)
            throw new TorchException("ema_update", $"ema_update failed for {a.Length} parameters: {LibTorch.LastError()}");
        Updates++;
    }

    /// <summary>Overwrites <paramref name="parameters"/> with the averages (for a model kept for evaluation).</summary>
    public void CopyTo(IEnumerable<(string Name, Tensor Tensor)> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var targets = Match(parameters);
        for (var i = 0; i < targets.Length; i++) targets[i].CopyFrom(averages[i]);
    }

    /// <summary>
    /// Exchanges the values of the averages and <paramref name="parameters"/>: call it once to evaluate
    /// the training model with the averaged weights, and once more to give it its own weights back.
    /// </summary>
    public void Swap(IEnumerable<(string Name, Tensor Tensor)> parameters)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var targets = Match(parameters);
        using var scope = DisposeScope.Enter();
        for (var i = 0; i < targets.Length; i++)
        {
            var held = averages[i].Clone();
            averages[i].CopyFrom(targets[i]);
            targets[i].CopyFrom(held);
        }
    }

    /// <summary>Writes the averages by parameter name, with decay, warm-up and update count in the metadata.</summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var metadata = new Dictionary<string, string>
        {
            ["decay"] = TrainingStateFile.Format(Decay),
            ["warmup"] = Warmup ? "true" : "false",
            ["updates"] = TrainingStateFile.Format(Updates),
        };
        TrainingStateFile.Write(path, StateKind, names.Zip(averages, KeyValuePair.Create), metadata);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; the file must hold exactly these parameters' averages.</summary>
    public void Load(string path)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var file = TrainingStateFile.Open(path, StateKind);
        var missing = names.FirstOrDefault(n => !file.Contains(n));
        if (missing is not null) throw new InvalidDataException($"{path}: holds no average of parameter '{missing}'");
        var unknown = file.Entries.FirstOrDefault(e => !names.Contains(e.Name));
        if (unknown is not null) throw new InvalidDataException($"{path}: holds an average of '{unknown.Name}', which is not a parameter here");
        var decay = TrainingStateFile.ReadDouble(file, "decay");
        var warmup = TrainingStateFile.ReadBool(file, "warmup");
        var updates = TrainingStateFile.ReadLong(file, "updates");

        using var scope = DisposeScope.Enter();
        var loaded = names.Select((name, i) => TrainingStateFile.LoadLike(file, name, averages[i])).ToList();
        for (var i = 0; i < averages.Length; i++) averages[i].CopyFrom(loaded[i]);
        (Decay, Warmup, Updates) = (decay, warmup, updates);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var average in averages) average.Dispose();
    }

    private Tensor[] Match(IEnumerable<(string Name, Tensor Tensor)> parameters) =>
        NamedParameters.Match(parameters, names, nameof(ExponentialMovingAverage));

    private static Tensor CopyOf(Tensor parameter)
    {
        using var detached = parameter.Detach();
        return detached.Clone();
    }
}
