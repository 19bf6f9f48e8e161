using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Torch.Tests.Parity;

// The C# side of cases_nn.py: functional ops, then layers with their parameters, then initial values.
public sealed class NNParityTests : IDisposable
{
    private readonly ParityFixture fixture = ParityFixture.Open("nn");

    [Fact] public void Linear() => fixture.Check("linear", x => F.Linear(x[0], x[1], x[2]));
    [Fact] public void Linear_no_bias() => fixture.Check("linear_no_bias", x => F.Linear(x[0], x[1]));
    [Fact] public void Conv2d() => fixture.Check("conv2d", x => F.Conv2d(x[0], x[1], x[2]));

    [Fact]
    public void Conv2d_strided_grouped() => fixture.Check("conv2d_strided_grouped",
        x => F.Conv2d(x[0], x[1], x[2], stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2));

    [Fact]
    public void Conv_transpose2d() => fixture.Check("conv_transpose2d",
        x => F.ConvTranspose2d(x[0], x[1], x[2], stride: 2, padding: 1, outputPadding: 1));

    [Fact]
    public void Conv_transpose2d_grouped() => fixture.Check("conv_transpose2d_grouped",
        x => F.ConvTranspose2d(x[0], x[1], stride: (2, 1), padding: (0, 1), groups: 2, dilation: (1, 2)));

    [Fact] public void Group_norm() => fixture.Check("group_norm", x => F.GroupNorm(x[0], 2, x[1], x[2], eps: 1e-5));
    [Fact] public void Group_norm_plain() => fixture.Check("group_norm_plain", x => F.GroupNorm(x[0], 4, eps: 1e-6));
    [Fact] public void Layer_norm() => fixture.Check("layer_norm", x => F.LayerNorm(x[0], [5], x[1], x[2]));
    [Fact] public void Layer_norm_2d() => fixture.Check("layer_norm_2d", x => F.LayerNorm(x[0], [3, 5], eps: 1e-6));
    [Fact] public void Softmax() => fixture.Check("softmax", x => x[0].Softmax(-1));
    [Fact] public void Log_softmax() => fixture.Check("log_softmax", x => x[0].LogSoftmax(1));

    [Fact]
    public void Interpolate_nearest_scale() =>
        fixture.Check("interpolate_nearest_scale", x => F.Interpolate(x[0], scaleFactor: 2.0, mode: InterpolationMode.Nearest));

    [Fact]
    public void Interpolate_nearest_size() =>
        fixture.Check("interpolate_nearest_size", x => F.Interpolate(x[0], size: (5, 9)));

    [Fact]
    public void Interpolate_bilinear_size() =>
        fixture.Check("interpolate_bilinear_size", x => F.Interpolate(x[0], size: (9, 4), mode: InterpolationMode.Bilinear));

    [Fact]
    public void Interpolate_bilinear_aligned() => fixture.Check("interpolate_bilinear_aligned",
        x => F.Interpolate(x[0], size: (9, 4), mode: InterpolationMode.Bilinear, alignCorners: true));

    [Fact]
    public void Interpolate_bilinear_scale() =>
        fixture.Check("interpolate_bilinear_scale", x => F.Interpolate(x[0], scaleFactor: 1.5, mode: InterpolationMode.Bilinear));

    [Fact] public void Pad_constant() => fixture.Check("pad_constant", x => F.Pad(x[0], [1, 2, 0, 1], value: 0.5));
    [Fact] public void Pad_reflect() => fixture.Check("pad_reflect", x => F.Pad(x[0], [2, 1, 1, 2], PaddingMode.Reflect));
    [Fact] public void Pad_replicate() => fixture.Check("pad_replicate", x => F.Pad(x[0], [1, 1, 2, 0], PaddingMode.Replicate));

    // The same seed draws the same mask.
    [Fact]
    public void Dropout() => fixture.Check("dropout", x =>
    {
        Torch.ManualSeed(1234);
        return F.Dropout(x[0], 0.3, training: true);
    });

    [Fact] public void Embedding() => fixture.Check("embedding", x => F.Embedding(x[0], x[1]));
    [Fact] public void Mse_loss_mean() => fixture.Check("mse_loss_mean", x => F.MseLoss(x[0], x[1]));
    [Fact] public void Mse_loss_sum() => fixture.Check("mse_loss_sum", x => F.MseLoss(x[0], x[1], Reduction.Sum));
    [Fact] public void Mse_loss_none() => fixture.Check("mse_loss_none", x => F.MseLoss(x[0], x[1], Reduction.None));
    [Fact] public void Sdpa() => fixture.Check("sdpa", x => F.ScaledDotProductAttention(x[0], x[1], x[2]));
    [Fact] public void Sdpa_float_mask() => fixture.Check("sdpa_float_mask", x => F.ScaledDotProductAttention(x[0], x[1], x[2], x[3]));
    [Fact] public void Sdpa_bool_mask() => fixture.Check("sdpa_bool_mask", x => F.ScaledDotProductAttention(x[0], x[1], x[2], x[3]));
    [Fact] public void Sdpa_causal() => fixture.Check("sdpa_causal", x => F.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true));

    [Fact]
    public void Module_linear()
    {
        using var m = new Linear(5, 4);
        fixture.Check("module_linear", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_conv2d()
    {
        using var m = new Conv2d(4, 6, 3, stride: 2, padding: 1, groups: 2);
        fixture.Check("module_conv2d", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_conv_transpose2d()
    {
        using var m = new ConvTranspose2d(4, 6, 3, stride: 2, padding: 1, outputPadding: 1);
        fixture.Check("module_conv_transpose2d", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_group_norm()
    {
        using var m = new GroupNorm(2, 4);
        fixture.Check("module_group_norm", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_layer_norm()
    {
        using var m = new LayerNorm(5);
        fixture.Check("module_layer_norm", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_embedding()
    {
        using var m = new Embedding(10, 4);
        fixture.Check("module_embedding", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_sequential()
    {
        using var m = new Sequential(new Conv2d(4, 4, 3, padding: 1), new GroupNorm(2, 4), new SiLU(), new Conv2d(4, 2, 1), new GELU(), new Identity());
        fixture.Check("module_sequential", x => m.Forward(x[0]), m.NamedParameters());
    }

    [Fact]
    public void Module_self_attention()
    {
        using var m = new MultiheadAttention(8, 2);
        fixture.Check("module_self_attention", x => m.Forward(x[0], x[1], x[2]), m.NamedParameters());
    }

    [Fact]
    public void Module_cross_attention()
    {
        using var m = new MultiheadAttention(8, 4, kvDim: 6);
        fixture.Check("module_cross_attention", x => m.Forward(x[0], x[1], x[2], x[3]), m.NamedParameters());
    }

    [Fact]
    public void Tiny_net()
    {
        using var net = new TinyNet();
        fixture.Check("tiny_net", x => net.Forward(x[0], x[1]), net.NamedParameters());
    }

    [Fact]
    public void Tiny_net_state_dict_names_are_pytorchs_in_pytorchs_order()
    {
        using var net = new TinyNet();
        const string prefix = "tiny_net/param/";
        using var file = SafetensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Parity", "fixtures", "nn.safetensors"));
        var pytorchNames = file.Entries.Select(e => e.Name).Where(n => n.StartsWith(prefix)).Select(n => n[prefix.Length..]).ToList();
        Assert.Equal(52, pytorchNames.Count);
        Assert.Equal(pytorchNames, net.StateDict().Keys);
    }

    // The same seed gives PyTorch's very initial values.
    [Fact]
    public void Init()
    {
        Torch.ManualSeed(42);
        using var init = new ModuleList<Module>(new Linear(6, 3), new Conv2d(4, 6, 3, groups: 2), new ConvTranspose2d(4, 6, 3), new Embedding(5, 3));
        using var scope = DisposeScope.Enter();
        foreach (var (name, tensor) in init.NamedParameters())
            ParityFixture.AssertClose(tensor, fixture.Load($"init/{name.Replace('.', '/')}"), name, tolerance: 0);
    }

    [Fact] public void Max_pool2d() => fixture.Check("max_pool2d", x => F.MaxPool2d(x[0], 3, stride: 2, padding: 1));

    [Fact] public void Max_pool2d_ceil() => fixture.Check("max_pool2d_ceil", x => F.MaxPool2d(x[0], 3, stride: 2, ceilMode: true));

    [Fact] public void Avg_pool2d() => fixture.Check("avg_pool2d", x => F.AvgPool2d(x[0], 3, stride: 1, padding: 1, countIncludePad: false));

    [Fact] public void Adaptive_avg_pool2d() => fixture.Check("adaptive_avg_pool2d", x => F.AdaptiveAvgPool2d(x[0], 1));

    [Fact]
    public void Batch_norm_eval()
    {
        // The running statistics are stored beside the case, not as inputs: they take no gradient.
        using var scope = DisposeScope.Enter();
        var mean = fixture.Load("batch_norm_eval/running_mean");
        var variance = fixture.Load("batch_norm_eval/running_var");
        fixture.Check("batch_norm_eval", x => F.BatchNorm(x[0], mean, variance, x[1], x[2], training: false, eps: 1e-3));
    }

    [Fact] public void Batch_norm_train() => fixture.Check("batch_norm_train", x => F.BatchNorm(x[0], null, null, x[1], x[2], training: true));

    [Fact]
    public void Every_case_in_the_fixture_has_a_test()
    {
        // Each case is tested by the method named after it.
        var tested = typeof(NNParityTests).GetMethods().Select(m => m.Name.ToLowerInvariant()).ToHashSet();
        Assert.Equal([], fixture.Cases.Where(c => !tested.Contains(c)));
    }

    public void Dispose() => fixture.Dispose();
}
