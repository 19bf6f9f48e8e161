using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch.NN;

/// <summary>
/// PyTorch's nn.Module: a layer or model that owns parameters, buffers and submodules, each registered
/// under a name. Their dotted paths (<c>down_blocks.0.resnets.1.conv1.weight</c>) are the state-dict
/// keys, in PyTorch's order: a module's own parameters, then its buffers, then each submodule in turn.
/// <para>
/// A module owns its tensors: they are created outside every <see cref="DisposeScope"/> (so no step's
/// scope frees them) and are freed by <see cref="Dispose"/>, with the submodules. Tensors a forward pass
/// returns are new handles, owned like any other result (by the current scope, or by the caller).
/// </para>
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = [];
    private readonly List<(string Name, Tensor Tensor)> buffers = [];
    private readonly List<(string Name, Module Module)> children = [];
    private bool disposed;

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>; dropout acts only while training.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>
    /// Registers a parameter (a tensor that requires grad) made by <paramref name="create"/>, which runs
    /// outside every dispose scope; whatever temporaries it makes are freed.
    /// </summary>
    protected Tensor RegisterParameter(string name, Func<Tensor> create)
    {
        CheckNewName(name);
        var tensor = CreateOwned(create);
        tensor.RequiresGrad = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a buffer: state that is saved and moved with the module but not trained (running statistics, tables).</summary>
    protected Tensor RegisterBuffer(string name, Func<Tensor> create)
    {
        CheckNewName(name);
        var tensor = CreateOwned(create);
        buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a submodule, which this module then owns and disposes.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckNewName(name);
        children.Add((name, module));
        return module;
    }

    private static Tensor CreateOwned(Func<Tensor> create) =>
        DisposeScope.Outside(() =>
        {
            using var scope = DisposeScope.Enter();
            return scope.MoveToOuter(create());
        });

    private void CheckNewName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"'{name}' is not a valid name: names are non-empty and contain no '.'", nameof(name));
        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"'{name}' is already registered in {GetType().Name}", nameof(name));
    }

    // ---- traversal ----

    /// <summary>This module (named "") and every submodule below it, depth first, by dotted path.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        yield return ("", this);
        foreach (var (name, child) in children)
            foreach (var (path, module) in child.NamedModules())
                yield return (Join(name, path), module);
    }

    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() =>
        NamedModules().SelectMany(m => m.Module.parameters.Select(p => (Join(m.Name, p.Name), p.Tensor)));

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers() =>
        NamedModules().SelectMany(m => m.Module.buffers.Select(b => (Join(m.Name, b.Name), b.Tensor)));

    /// <summary>The number of parameter elements.</summary>
    public long ParameterCount => Parameters().Sum(p => p.NumElements);

    private static string Join(string prefix, string name) =>
        prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;

    // ---- state dict ----

    /// <summary>
    /// Every parameter and buffer by its dotted path, in PyTorch's state-dict order. The tensors are the
    /// module's own (not copies): read or save them, do not dispose them.
    /// </summary>
    public OrderedDictionary<string, Tensor> StateDict()
    {
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (path, module) in NamedModules())
        {
            foreach (var (name, tensor) in module.parameters) result.Add(Join(path, name), tensor);
            foreach (var (name, tensor) in module.buffers) result.Add(Join(path, name), tensor);
        }
        return result;
    }

    /// <summary>
    /// Copies values into the parameters and buffers in place, outside autograd, converting dtype and
    /// device as needed. Shapes must match. When <paramref name="strict"/>, the keys must match exactly;
    /// otherwise the keys that matched are loaded and the missing and unexpected ones are returned.
    /// Nothing is copied when a <see cref="StateDictException"/> (listing every offending key) is thrown.
    /// </summary>
    public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadStateDict(
        IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true) =>
        LoadStateDict(stateDict.ToDictionary(item => item.Key, item => item.Value.Shape), (key, target) => target.CopyFrom(stateDict[key]), strict);

    /// <summary>
    /// The same load from any source that can tell each key's shape up front (a safetensors header) and
    /// then copy one key's values into its target: checkpoints load one tensor at a time.
    /// </summary>
    public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadStateDict(
        IReadOnlyDictionary<string, long[]> shapes, Action<string, Tensor> copyInto, bool strict = true)
    {
        var own = StateDict();
        var missing = own.Keys.Where(key => !shapes.ContainsKey(key)).ToList();
        var unexpected = shapes.Keys.Where(key => !own.ContainsKey(key)).ToList();
        var mismatched = new List<string>();
        foreach (var (key, tensor) in own)
        {
            if (shapes.TryGetValue(key, out var shape) && !shape.AsSpan().SequenceEqual(tensor.Shape))
                mismatched.Add($"{key}: {Tensor.ShapeText(shape)} given, {Tensor.ShapeText(tensor.Shape)} expected");
        }
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new StateDictException(GetType().Name, missing, unexpected, mismatched);

        foreach (var (key, tensor) in own)
        {
            if (shapes.ContainsKey(key)) copyInto(key, tensor);
        }
        return (missing, unexpected);
    }

    // ---- modes and conversions ----

    /// <summary>Sets training mode on this module and every submodule.</summary>
    public void Train(bool training = true)
    {
        foreach (var (_, module) in NamedModules()) module.Training = training;
    }

    /// <summary>Evaluation mode (dropout off), recursively.</summary>
    public void Eval() => Train(false);

    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/> in place: the tensors keep their
    /// identity (handles held elsewhere, an optimizer's included, see the moved data), requires_grad
    /// and their gradients (which move too).
    /// </summary>
    public void To(Device device) => Convert(device, null);

    /// <summary>Converts the floating-point parameters and buffers to <paramref name="dtype"/> in place, as <see cref="To(Device)"/> moves them.</summary>
    public void To(DType dtype) => Convert(null, dtype);

    public void To(Device device, DType dtype) => Convert(device, dtype);

    private void Convert(Device? device, DType? dtype)
    {
        if (dtype is { } d && !d.IsFloatingPoint())
            throw new ArgumentException($"modules convert to floating-point dtypes only, not {d}", nameof(dtype));
        foreach (var tensor in StateDict().Values)
        {
            var targetType = dtype is { } t && tensor.DType.IsFloatingPoint() ? t : tensor.DType;
            var targetDevice = device ?? tensor.Device;
            if (targetType == tensor.DType && targetDevice == tensor.Device) continue;
            Tensor.CheckStatus(LibTorch.cdt_convert_in_place(tensor.Handle, (int)targetType, (int)targetDevice.Type, targetDevice.Index),
                $"to({targetDevice}, {targetType})", tensor);
        }
    }

    /// <summary>Drops every parameter's gradient (PyTorch's zero_grad with set_to_none).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in Parameters()) parameter.ZeroGrad();
    }

    /// <summary>Sets requires_grad on every parameter: false freezes the module.</summary>
    public void RequiresGrad(bool requiresGrad = true)
    {
        foreach (var parameter in Parameters()) parameter.RequiresGrad = requiresGrad;
    }

    /// <summary>Frees the parameters and buffers of this module and of every submodule.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var (_, child) in children) child.Dispose();
        foreach (var (_, tensor) in parameters) tensor.Dispose();
        foreach (var (_, tensor) in buffers) tensor.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A module with one input and one output, so that modules chain (<see cref="Sequential"/>).</summary>
public abstract class Module<TIn, TOut> : Module
{
    public abstract TOut Forward(TIn input);
}
