using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Model.Evaluation.Inception;
using ContextDiffusion.Model.Tests.Text;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class FidCalculatorTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    [Fact]
    public void Without_a_checkpoint_fid_is_unavailable()
    {
        Assert.Null(FidCalculator.TryCreate(null, Device.Cpu, out var reason));
        Assert.Equal("no Inception checkpoint was supplied", reason);
    }

    [Fact]
    public void A_missing_checkpoint_makes_fid_unavailable()
    {
        var path = Path.Combine(folder.Path, "absent.safetensors");
        Assert.Null(FidCalculator.TryCreate(path, Device.Cpu, out var reason));
        Assert.Contains("does not exist", reason);
        Assert.Contains(path, reason);
    }

    [Fact]
    public void A_checkpoint_of_another_network_makes_fid_unavailable_and_says_why()
    {
        var path = Path.Combine(folder.Path, "other.safetensors");
        using (var scope = DisposeScope.Enter())
            SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["conv_in.weight"] = Tensor.Zeros([4, 3, 3, 3]) });
        Assert.Null(FidCalculator.TryCreate(path, Device.Cpu, out var reason));
        Assert.Contains("could not be loaded", reason);
        Assert.Contains("Conv2d_1a_3x3.conv.weight", reason);
    }

    [Fact]
    public void A_file_that_is_not_safetensors_makes_fid_unavailable()
    {
        var path = Path.Combine(folder.Path, "pt_inception.pth");
        File.WriteAllText(path, "not a safetensors file");
        Assert.Null(FidCalculator.TryCreate(path, Device.Cpu, out var reason));
        Assert.Contains("could not be loaded", reason);
    }

    [Fact]
    public void Loads_torchvisions_state_dict_with_its_classifier_and_batch_norm_counters()
    {
        var path = Path.Combine(folder.Path, "pt_inception-2015-12-05.safetensors");
        using var source = new InceptionFeatureExtractor();
        InceptionFeatureExtractorTests.FillReferenceWeights(source, 11);
        using (var scope = DisposeScope.Enter())
        {
            var checkpoint = new Dictionary<string, Tensor>(source.StateDict())
            {
                ["fc.weight"] = Tensor.Zeros([1008, InceptionFeatureExtractor.FeatureDimension]),
                ["fc.bias"] = Tensor.Zeros([1008]),
            };
            foreach (var key in source.StateDict().Keys.Where(k => k.EndsWith(".bn.running_var")))
                checkpoint[key.Replace("running_var", "num_batches_tracked")] = Tensor.Scalar(0L);
            SafetensorsWriter.Write(path, checkpoint);
        }

        using var calculator = FidCalculator.TryCreate(path, Device.Cpu, out var reason);
        Assert.NotNull(calculator);
        Assert.Equal("", reason);
        using var loaded = InceptionFeatureExtractor.Load(path);
        foreach (var (key, tensor) in source.StateDict())
            TensorAssert.Equal(tensor, loaded.StateDict()[key]);
    }

    [Fact]
    public void Features_are_2048_floats_per_image_on_the_cpu()
    {
        var path = Path.Combine(folder.Path, "inception.safetensors");
        using (var source = new InceptionFeatureExtractor())
            source.SaveSafetensors(path);
        using var calculator = FidCalculator.TryCreate(path, Device.Cpu, out _)!;
        using var scope = DisposeScope.Enter();
        var features = calculator.Features(Tensor.Rand([1, 3, 40, 48]) * 2 - 1);
        Assert.Equal([1L, InceptionFeatureExtractor.FeatureDimension], features.Shape);
        Assert.Equal(DType.Float32, features.DType);
        Assert.Equal(Device.Cpu, features.Device);
    }

    public void Dispose() => folder.Dispose();
}
