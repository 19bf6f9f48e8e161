using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests;

public sealed class ModuleSafetensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("module-safetensors").FullName;

    private sealed class Net : Module
    {
        public Net()
        {
            RegisterModule("proj", new Linear(3, 2));
            RegisterModule("norm", new LayerNorm(2));
        }
    }

    [Fact]
    public void Save_then_load_reproduces_every_parameter()
    {
        using var source = new Net();
        using var target = new Net();
        var path = Path.Combine(folder, "net.safetensors");
        source.SaveSafetensors(path, new Dictionary<string, string> { ["format"] = "test" });
        target.LoadSafetensors(path);
        foreach (var (key, tensor) in source.StateDict())
            Assert.Equal(tensor.ToArray<float>(), target.StateDict()[key].ToArray<float>());
    }

    [Fact]
    public void Key_mapping_renames_and_drops_checkpoint_keys()
    {
        using var scope = DisposeScope.Enter();
        var path = Path.Combine(folder, "prefixed.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor>
        {
            ["model.proj.weight"] = Tensor.Full([2, 3], 0.5),
            ["model.proj.bias"] = Tensor.Full([2], 1.5),
            ["model.norm.weight"] = Tensor.Full([2], 2.0),
            ["model.norm.bias"] = Tensor.Full([2], 3.0),
            ["text_model.position_ids"] = Tensor.Arange(0, 4),
        });
        using var net = new Net();
        net.LoadSafetensors(path, key => key.StartsWith("model.") ? key["model.".Length..] : null);
        Assert.All(net.StateDict()["proj.weight"].ToArray<float>(), v => Assert.Equal(0.5f, v));
        Assert.All(net.StateDict()["norm.bias"].ToArray<float>(), v => Assert.Equal(3f, v));
    }

    [Fact]
    public void Strict_load_lists_every_problem_and_copies_nothing()
    {
        using var scope = DisposeScope.Enter();
        var path = Path.Combine(folder, "bad.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor>
        {
            ["proj.weight"] = Tensor.Full([3, 3], 9.0),
            ["proj.bias"] = Tensor.Full([2], 9.0),
            ["extra"] = Tensor.Zeros([1]),
        });
        using var net = new Net();
        var before = net.StateDict()["proj.bias"].ToArray<float>();
        var error = Assert.Throws<StateDictException>(() => net.LoadSafetensors(path));
        Assert.Equal(["norm.weight", "norm.bias"], error.MissingKeys);
        Assert.Equal(["extra"], error.UnexpectedKeys);
        Assert.Contains("proj.weight: [3, 3] given, [2, 3] expected", error.ShapeMismatches);
        Assert.Equal(before, net.StateDict()["proj.bias"].ToArray<float>());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
