using System.Text.Json;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Model.Evaluation.Inception;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Tests.Evaluation;

public class InceptionFeatureExtractorTests
{
    /// <summary>The network input side of the reference (make_fixture.py's INCEPTION_INPUT_SIZE): a quarter of 299's work.</summary>
    private const int ReducedInputSize = 139;

    /// <summary>make_fixture.py's INCEPTION_WEIGHT_SEED.</summary>
    private const ulong WeightSeed = 7;

    [Fact]
    public void Has_the_state_dict_keys_and_shapes_of_torchvisions_fid_inception()
    {
        using var fixture = EvaluationFixture.Open();
        var reference = JsonSerializer.Deserialize<Dictionary<string, long[]>>(fixture.Metadata("inception_state_dict"))!;
        var expected = reference.Where(e => !e.Key.StartsWith("fc.") && !e.Key.EndsWith(".num_batches_tracked"))
            .ToDictionary(e => e.Key, e => e.Value);
        using var network = new InceptionFeatureExtractor(ReducedInputSize);
        var actual = network.StateDict();
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, tensor) in actual) Assert.True(expected[key].SequenceEqual(tensor.Shape), key);
        Assert.Contains("Mixed_7c.branch3x3dbl_3b.bn.running_var", actual.Keys);
    }

    [Fact]
    public void Features_match_pytorch_fids_network_with_the_same_weights()
    {
        using var fixture = EvaluationFixture.Open();
        using var network = new InceptionFeatureExtractor(ReducedInputSize);
        FillReferenceWeights(network, WeightSeed);
        using var scope = DisposeScope.Enter();
        using var inference = Torch.Torch.InferenceMode();
        var features = network.Forward(fixture.In("inception", 0));
        Assert.Equal([2L, InceptionFeatureExtractor.FeatureDimension], features.Shape);
        TensorAssert.Close(fixture.Out("inception", 0), features, 1e-4, "pool3 features");
    }

    [Fact]
    public void Is_frozen_and_in_evaluation_mode()
    {
        using var network = new InceptionFeatureExtractor(ReducedInputSize);
        Assert.False(network.Training);
        Assert.All(network.Parameters(), p => Assert.False(p.RequiresGrad));
    }

    [Fact]
    public void The_fid_of_a_set_against_itself_is_zero_and_against_another_set_is_not()
    {
        using var network = new InceptionFeatureExtractor(ReducedInputSize);
        FillReferenceWeights(network, WeightSeed);
        using var scope = DisposeScope.Enter();
        using var inference = Torch.Torch.InferenceMode();
        using var generator = new Generator(1);
        var images = Tensor.Rand([4, 3, 32, 32], generator) * 2 - 1;
        var features = network.Forward(images);
        var others = network.Forward(-images);
        Assert.Equal(0, FidCalculator.Distance(features, features), 1e-6);
        Assert.True(FidCalculator.Distance(features, others) > 1e-3);
    }

    [Fact]
    public void Leaves_no_tensors_behind()
    {
        using var network = new InceptionFeatureExtractor(ReducedInputSize);
        using var images = Tensor.Rand([1, 3, 20, 20]);
        TensorAssert.NoLeaks(() => network.Forward(images).Dispose());
    }

    /// <summary>
    /// make_fixture.py's fill_weights, draw for draw: one uniform draw per tensor from a generator seeded with
    /// <paramref name="seed"/>, in sorted key order, scaled by the kind of tensor.
    /// </summary>
    internal static void FillReferenceWeights(Module network, ulong seed)
    {
        using var generator = new Generator(seed);
        foreach (var (key, tensor) in network.StateDict().OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            using var scope = DisposeScope.Enter();
            var u = Tensor.Rand(tensor.Shape, generator);
            var value = key switch
            {
                _ when key.EndsWith("conv.weight") => (u * 2 - 1) * Math.Sqrt(6.0 / (tensor.NumElements / tensor.Size(0))),
                _ when key.EndsWith("bn.weight") => u * 0.4 + 0.8,
                _ when key.EndsWith("bn.bias") || key.EndsWith("bn.running_mean") => u * 0.2 - 0.1,
                _ when key.EndsWith("bn.running_var") => u + 0.5,
                _ => throw new KeyNotFoundException(key),
            };
            tensor.CopyFrom(value);
        }
    }
}
