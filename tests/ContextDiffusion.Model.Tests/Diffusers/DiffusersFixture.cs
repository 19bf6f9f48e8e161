using ContextDiffusion.Model.Tests.Encoders;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Diffusers;

/// <summary>
/// The PyTorch reference results of Reference/make_fixture.py (Reference/fixtures/diffusers.safetensors):
/// per case, the module's weights under their diffusers keys (<c>NAME/param/KEY</c>), the inputs
/// (<c>NAME/in{i}</c>) and the outputs (<c>NAME/out{j}</c>); the tiny models' config.json texts are in the
/// metadata (<c>config/NAME</c>).
/// </summary>
internal sealed class DiffusersFixture : IDisposable
{
    /// <summary>fp32 forward parity: max |ours - theirs| / max |theirs|.</summary>
    public const double Tolerance = 1e-4;

    public static string FilePath { get; } = Path.Combine(AppContext.BaseDirectory, "Diffusers", "Reference", "fixtures", "diffusers.safetensors");

    private DiffusersFixture(SafetensorsFile file) => File = file;

    public static DiffusersFixture Open() => new(SafetensorsFile.Open(FilePath));

    public SafetensorsFile File { get; }

    public IEnumerable<string> Cases => File.Entries.Select(e => e.Name.Split('/')[0]).Distinct();

    /// <summary>The config.json text of a tiny model of the fixture.</summary>
    public string Config(string name) => File.Metadata[$"config/{name}"];

    /// <summary>A case's weights by their diffusers keys, in the order PyTorch's state_dict listed them.</summary>
    public IEnumerable<SafetensorsEntry> Weights(string caseName) => File.Entries.Where(e => e.Name.StartsWith(ParamPrefix(caseName)));

    public static string ParamPrefix(string caseName) => caseName + "/param/";

    /// <summary>Loads a case's weights into <paramref name="module"/> strictly, by their diffusers keys.</summary>
    public void LoadWeights(Module module, string caseName)
    {
        var prefix = ParamPrefix(caseName);
        module.LoadSafetensors(File, key => key.StartsWith(prefix) ? key[prefix.Length..] : null);
    }

    /// <summary>
    /// Loads the case's weights into <paramref name="module"/>, runs <paramref name="forward"/> on its inputs
    /// in eval mode without autograd, and compares every output with PyTorch's.
    /// </summary>
    public void Check(string caseName, Module module, Func<Tensor[], IReadOnlyList<Tensor>> forward)
    {
        LoadWeights(module, caseName);
        module.Eval();
        using var scope = DisposeScope.Enter();
        using var noGrad = Torch.Torch.NoGrad();
        var inputs = new List<Tensor>();
        for (var i = 0; File.Contains($"{caseName}/in{i}"); i++) inputs.Add(File.Load($"{caseName}/in{i}"));
        var outputs = forward([.. inputs]);
        for (var j = 0; j < outputs.Count; j++) TensorAssert.Close(File.Load($"{caseName}/out{j}"), outputs[j], Tolerance, $"{caseName}/out{j}");
        Assert.False(File.Contains($"{caseName}/out{outputs.Count}"), $"{caseName}: PyTorch produced more than {outputs.Count} outputs");
    }

    public void Check(string caseName, Module module, Func<Tensor[], Tensor> forward) => Check(caseName, module, inputs => [forward(inputs)]);

    public void Dispose() => File.Dispose();
}
