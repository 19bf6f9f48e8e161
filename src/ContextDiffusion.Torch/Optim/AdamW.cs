using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// AdamW (Adam with decoupled weight decay) with torch.optim.AdamW's exact semantics: each step
/// multiplies a parameter by (1 - lr * weight_decay), updates the two moment averages, and moves the
/// parameter by -lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps), where t counts that
/// parameter's own updates. Parameters without a gradient are skipped (their t does not advance), and
/// their moment buffers are created at their first gradient, as in PyTorch.
/// <para>
/// The parameters stay owned by their module; the optimizer owns its moment buffers and frees them on
/// <see cref="Dispose"/>. The whole update runs natively in one call per step.
/// </para>
/// </summary>
public sealed class AdamW : IDisposable
{
    private const string StateKind = "AdamW";

    private readonly string[] names;
    private readonly Tensor[] parameters;
    private readonly Tensor?[] expAvgs;
    private readonly Tensor?[] expAvgSqs;
    private readonly long[] steps;
    private double learningRate;
    private bool disposed;

    public AdamW(IEnumerable<(string Name, Tensor Tensor)> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2)
    {
        CheckHyperparameters(beta1, beta2, epsilon, weightDecay);
        (names, this.parameters) = NamedParameters.Split(parameters, nameof(AdamW));
        expAvgs = new Tensor?[names.Length];
        expAvgSqs = new Tensor?[names.Length];
        steps = new long[names.Length];
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>The learning rate of the next step; set it before each step to follow a schedule.</summary>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be >= 0");
    }

    public double Beta1 { get; private set; }
    public double Beta2 { get; private set; }
    public double Epsilon { get; private set; }
    public double WeightDecay { get; private set; }

    /// <summary>The parameters, in the order given (for gradient clipping, loss scaling).</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>Updates every parameter that has a gradient, outside autograd.</summary>
    public unsafe void Step()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = DisposeScope.Enter();
        CreateStateOfNewGradients();
        var p = Tensor.HandlesOf(parameters);
        var m = Tensor.HandlesOf(expAvgs);
        var v = Tensor.HandlesOf(expAvgSqs);
        int status;
        fixed (IntPtr* pp = p, mp = m, vp = v)
        fixed (long* sp = steps)
            status = LibTorch.cdt_adamw_step(pp, mp, vp, sp, p.Length, LearningRate, Beta1, Beta2, Epsilon, WeightDecay);
        if (status != 0)
            throw new TorchException("adamw_step", $"adamw_step failed for {p.Length} parameters: {LibTorch.LastError()}");
    }

    /// <summary>Drops every parameter's gradient (PyTorch's zero_grad with set_to_none=True).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters) parameter.ZeroGrad();
    }

    // Moment buffers are zeros shaped like their parameter, made when it first has a gradient.
    private void CreateStateOfNewGradients()
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            if (expAvgs[i] is not null || parameters[i].Grad is null) continue;
            var parameter = parameters[i];
            expAvgs[i] = DisposeScope.Outside(() => Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
            expAvgSqs[i] = DisposeScope.Outside(() => Tensor.Zeros(parameter.Shape, parameter.DType, parameter.Device));
        }
    }

    /// <summary>
    /// Writes the moment buffers (as <c>NAME.exp_avg</c>, <c>NAME.exp_avg_sq</c>) and, in the metadata,
    /// every parameter's step count and the hyperparameters.
    /// </summary>
    public void Save(string path)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        var metadata = new Dictionary<string, string>
        {
            ["lr"] = TrainingStateFile.Format(LearningRate),
            ["beta1"] = TrainingStateFile.Format(Beta1),
            ["beta2"] = TrainingStateFile.Format(Beta2),
            ["eps"] = TrainingStateFile.Format(Epsilon),
            ["weight_decay"] = TrainingStateFile.Format(WeightDecay),
        };
        for (var i = 0; i < names.Length; i++)
        {
            if (expAvgs[i] is null) continue;
            tensors.Add(new($"{names[i]}.exp_avg", expAvgs[i]!));
            tensors.Add(new($"{names[i]}.exp_avg_sq", expAvgSqs[i]!));
            metadata[$"{names[i]}.step"] = TrainingStateFile.Format(steps[i]);
        }
        TrainingStateFile.Write(path, StateKind, tensors, metadata);
    }

    /// <summary>
    /// Replaces the state with what <see cref="Save"/> wrote, hyperparameters included (as PyTorch's
    /// load_state_dict does). Parameters absent from the file start fresh; a file naming a parameter this
    /// optimizer does not have, or a buffer of another shape, is refused and nothing is changed.
    /// </summary>
    public void Load(string path)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var file = TrainingStateFile.Open(path, StateKind);
        var known = new HashSet<string>(names.SelectMany(n => new[] { $"{n}.exp_avg", $"{n}.exp_avg_sq" }));
        var unknown = file.Entries.FirstOrDefault(e => !known.Contains(e.Name));
        if (unknown is not null)
            throw new InvalidDataException($"{path}: holds state '{unknown.Name}' of no parameter of this optimizer");
        double lr = TrainingStateFile.ReadDouble(file, "lr"), beta1 = TrainingStateFile.ReadDouble(file, "beta1"),
            beta2 = TrainingStateFile.ReadDouble(file, "beta2"), eps = TrainingStateFile.ReadDouble(file, "eps"),
            weightDecay = TrainingStateFile.ReadDouble(file, "weight_decay");
        CheckHyperparameters(beta1, beta2, eps, weightDecay);

        var loadedSteps = new long[names.Length];
        var loadedAvgs = new Tensor?[names.Length];
        var loadedSqs = new Tensor?[names.Length];
        try
        {
            for (var i = 0; i < names.Length; i++)
            {
                var (name, parameter) = (names[i], parameters[i]);
                if (!file.Contains($"{name}.exp_avg")) continue;
                loadedSteps[i] = TrainingStateFile.ReadLong(file, $"{name}.step");
                loadedAvgs[i] = DisposeScope.Outside(() => TrainingStateFile.LoadLike(file, $"{name}.exp_avg", parameter));
                loadedSqs[i] = DisposeScope.Outside(() => TrainingStateFile.LoadLike(file, $"{name}.exp_avg_sq", parameter));
            }
        }
        catch
        {
            DisposeAll(loadedAvgs);
            DisposeAll(loadedSqs);
            throw;
        }

        DisposeAll(expAvgs);
        DisposeAll(expAvgSqs);
        loadedAvgs.CopyTo(expAvgs, 0);
        loadedSqs.CopyTo(expAvgSqs, 0);
        loadedSteps.CopyTo(steps, 0);
        LearningRate = lr;
        (Beta1, Beta2, Epsilon, WeightDecay) = (beta1, beta2, eps, weightDecay);
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        DisposeAll(expAvgs);
        DisposeAll(expAvgSqs);
    }

    private static void DisposeAll(Tensor?[] tensors)
    {
        for (var i = 0; i < tensors.Length; i++)
        {
            tensors[i]?.Dispose();
            tensors[i] = null;
        }
    }

    // The ranges torch.optim.AdamW accepts.
    private static void CheckHyperparameters(double beta1, double beta2, double epsilon, double weightDecay)
    {
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (epsilon < 0) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be >= 0");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be >= 0");
    }
}
