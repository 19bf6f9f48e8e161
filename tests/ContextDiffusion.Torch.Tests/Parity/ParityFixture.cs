using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests.Parity;

/// <summary>
/// One area's PyTorch reference results (fixtures/AREA.safetensors, written by make_fixtures.py).
/// <see cref="Check"/> replays a case in C#, forward and backward, and compares every output and
/// gradient with the reference at fp32 relative error &lt;= 1e-5.
/// </summary>
public sealed class ParityFixture : IDisposable
{
    public const double DefaultTolerance = 1e-5;

    private readonly SafetensorsFile file;

    private ParityFixture(SafetensorsFile file) => this.file = file;

    public static ParityFixture Open(string area) =>
        new(SafetensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Parity", "fixtures", area + ".safetensors")));

    /// <summary>The case names of this area.</summary>
    public IEnumerable<string> Cases => file.Entries.Select(e => e.Name.Split('/')[0]).Distinct();

    public bool Has(string key) => file.Contains(key);

    public Tensor Load(string key) => file.Load(key);

    /// <summary>
    /// Runs <paramref name="forward"/> on the case's inputs and checks outputs and gradients. When
    /// <paramref name="parameters"/> are given (a module's named parameters and buffers), they are
    /// first loaded from the case, and their gradients are checked too.
    /// </summary>
    public void Check(string name, Func<Tensor[], Tensor[]> forward, IEnumerable<(string Name, Tensor Tensor)>? parameters = null,
        double tolerance = DefaultTolerance)
    {
        using var scope = DisposeScope.Enter();
        var named = parameters?.ToList() ?? [];
        foreach (var (paramName, tensor) in named)
            tensor.CopyFrom(Load($"{name}/param/{paramName}"));

        var inputs = new List<Tensor>();
        for (var i = 0; Has($"{name}/in{i}"); i++)
        {
            var input = Load($"{name}/in{i}");
            if (Has($"{name}/grad_in{i}")) input.RequiresGrad = true;
            inputs.Add(input);
        }
        Assert.True(inputs.Count > 0 || named.Count > 0, $"parity case '{name}' is not in the fixture");

        var outputs = forward([.. inputs]);
        Tensor? total = null;
        for (var j = 0; j < outputs.Length; j++)
        {
            AssertClose(outputs[j], Load($"{name}/out{j}"), $"{name}/out{j}", tolerance);
            if (!Has($"{name}/grad_out{j}")) continue;
            var term = (outputs[j] * Load($"{name}/grad_out{j}")).Sum();
            total = total is null ? term : total + term;
        }
        Assert.False(Has($"{name}/out{outputs.Length}"), $"{name}: PyTorch produced more than {outputs.Length} outputs");
        if (total is null) return;

        total.Backward();
        for (var i = 0; i < inputs.Count; i++)
            if (Has($"{name}/grad_in{i}")) AssertClose(inputs[i].Grad!, Load($"{name}/grad_in{i}"), $"{name}/grad_in{i}", tolerance);
        foreach (var (paramName, tensor) in named)
        {
            if (!Has($"{name}/grad_param/{paramName}")) continue;
            var grad = tensor.Grad;
            Assert.True(grad is not null, $"{name}: parameter {paramName} got no gradient");
            AssertClose(grad!, Load($"{name}/grad_param/{paramName}"), $"{name}/grad_param/{paramName}", tolerance);
            tensor.ZeroGrad();
        }
    }

    public void Check(string name, Func<Tensor[], Tensor> forward, IEnumerable<(string Name, Tensor Tensor)>? parameters = null,
        double tolerance = DefaultTolerance) =>
        Check(name, inputs => [forward(inputs)], parameters, tolerance);

    /// <summary>Same shape and dtype, and max |a - e| / max |e| within tolerance (absolute when e is ~0).</summary>
    public static void AssertClose(Tensor actual, Tensor expected, string what, double tolerance = DefaultTolerance)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {Tensor.ShapeText(actual.Shape)} != expected {Tensor.ShapeText(expected.Shape)}");
        Assert.True(expected.DType == actual.DType, $"{what}: dtype {actual.DType} != expected {expected.DType}");
        using var a = actual.Detach().To(Device.Cpu, DType.Float64);
        using var e = expected.To(DType.Float64);
        var av = a.ToArray<double>();
        var ev = e.ToArray<double>();
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < av.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(av[i] - ev[i]));
            maxRef = Math.Max(maxRef, Math.Abs(ev[i]));
        }
        var error = maxDiff / Math.Max(maxRef, 1e-6);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E2} > {tolerance:E0} (max diff {maxDiff:E2})");
    }

    public void Dispose() => file.Dispose();
}
