using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Tests.Parity;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Torch.Tests.NN;

// Shapes, arguments and errors; the values are checked against PyTorch in Parity/NNParityTests.
public class FunctionalTests
{
    [Fact]
    public void Convolution_output_shapes()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Zeros([2, 4, 16, 12]);
        Assert.Equal([2L, 6, 8, 12], F.Conv2d(x, Tensor.Zeros([6, 4, 3, 3]), stride: (2, 1), padding: 1).Shape);
        Assert.Equal([2L, 6, 16, 12], F.Conv2d(x, Tensor.Zeros([6, 2, 3, 3]), padding: 2, dilation: 2, groups: 2).Shape);
        Assert.Equal([2L, 3, 32, 24], F.ConvTranspose2d(x, Tensor.Zeros([4, 3, 4, 4]), stride: 2, padding: 1).Shape);
        Assert.Equal([2L, 3, 33, 25], F.ConvTranspose2d(x, Tensor.Zeros([4, 3, 3, 3]), stride: 2, padding: 0).Shape);
        Assert.Equal([2L, 3, 32, 24], F.ConvTranspose2d(x, Tensor.Zeros([4, 3, 3, 3]), stride: 2, padding: 1, outputPadding: 1).Shape);
    }

    [Fact]
    public void Failures_name_the_op_its_arguments_and_shapes()
    {
        using var scope = DisposeScope.Enter();
        var error = Assert.Throws<TorchException>(() => F.Conv2d(Tensor.Zeros([1, 3, 8, 8]), Tensor.Zeros([4, 5, 3, 3]), stride: 2));
        Assert.StartsWith("conv2d(stride (2, 2)", error.Operation);
        Assert.Contains("[1, 3, 8, 8] and [4, 5, 3, 3]", error.Message);
        Assert.Throws<TorchException>(() => F.GroupNorm(Tensor.Zeros([1, 6, 2, 2]), 4));
        Assert.Throws<TorchException>(() => F.Linear(Tensor.Zeros([2, 3]), Tensor.Zeros([4, 5])));
        Assert.Throws<TorchException>(() => F.Embedding(Tensor.From(new long[] { 0, 9 }), Tensor.Zeros([5, 2])));
    }

    [Fact]
    public void Interpolate_by_size_or_by_scale()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(0, 4, dtype: DType.Float32).Reshape(1, 1, 2, 2);
        var doubled = F.Interpolate(x, scaleFactor: 2);
        Assert.Equal([1L, 1, 4, 4], doubled.Shape);
        Assert.Equal([0f, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3], doubled.ToArray<float>());
        Assert.Equal([1L, 1, 3, 5], F.Interpolate(x, size: (3, 5), mode: InterpolationMode.Bilinear).Shape);
        var corners = F.Interpolate(x, size: 3, mode: InterpolationMode.Bilinear, alignCorners: true);
        Assert.Equal([0f, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3], corners.ToArray<float>());

        Assert.Throws<ArgumentException>(() => F.Interpolate(x));
        Assert.Throws<ArgumentException>(() => F.Interpolate(x, size: 4, scaleFactor: 2));
        Assert.Throws<ArgumentException>(() => F.Interpolate(x, scaleFactor: 2, alignCorners: true));
    }

    [Fact]
    public void Pad_modes()
    {
        using var scope = DisposeScope.Enter();
        var row = Tensor.From(new float[] { 1, 2, 3 }, 1, 1, 3);
        Assert.Equal([9f, 1, 2, 3, 9, 9], F.Pad(row, [1, 2], value: 9).ToArray<float>());
        Assert.Equal([3f, 2, 1, 2, 3, 2], F.Pad(row, [2, 1], PaddingMode.Reflect).ToArray<float>());
        Assert.Equal([1f, 1, 2, 3, 3, 3], F.Pad(row, [1, 2], PaddingMode.Replicate).ToArray<float>());
        Assert.Equal([1L, 3, 6], F.Pad(row, [1, 2, 1, 1]).Shape);
    }

    [Fact]
    public void Dropout_scales_survivors_and_is_the_identity_when_not_training()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Ones([2000]);
        var dropped = F.Dropout(x, 0.25).ToArray<float>();
        Assert.All(dropped, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75f) < 1e-6));
        Assert.InRange(dropped.Count(v => v == 0), 350, 650);
        Assert.Equal(x.ToArray<float>(), F.Dropout(x, 0.25, training: false).ToArray<float>());
        Assert.All(F.Dropout(x, 1).ToArray<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Attention_masks_follow_pytorch_2_conventions()
    {
        using var scope = DisposeScope.Enter();
        var q = Tensor.Zeros([1, 2, 4]);
        var k = Tensor.Zeros([1, 3, 4]);
        var v = Tensor.From(new float[] { 1, 2, 3 }, 1, 3, 1);
        // Equal scores: the output is the mean of the values a query may attend to.
        Assert.Equal([2f, 2], F.ScaledDotProductAttention(q, k, v).ToArray<float>());
        var allowed = Tensor.From(new[] { true, false, false, true, true, false }, 2, 3);
        Assert.Equal([1f, 1.5f], F.ScaledDotProductAttention(q, k, v, allowed).ToArray<float>());
        var square = Tensor.Zeros([1, 3, 4]);
        Assert.Equal([1f, 1.5f, 2], F.ScaledDotProductAttention(square, square, v, isCausal: true).ToArray<float>());
        var error = Assert.Throws<TorchException>(() => F.ScaledDotProductAttention(q, k, v, allowed, isCausal: true));
        Assert.Contains("not both", error.Message);
    }

    // Long sequences are attended a block of query rows at a time on libtorch 1.13: the blocks must join
    // up to the whole-matrix formula, masks and causality included, gradients too.
    [Theory]
    [InlineData("none")]
    [InlineData("causal")]
    [InlineData("bool")]
    [InlineData("float")]
    public void Attention_over_many_rows_matches_the_whole_matrix_formula(string masking)
    {
        using var scope = DisposeScope.Enter();
        const int rows = 1500, dim = 8;
        var q = (Tensor.Randn([2, rows, dim], new Generator(1)) * 2).RequiresGrad_();
        var sameQ = q.Detach().Clone().RequiresGrad_();
        var k = Tensor.Randn([2, rows, dim], new Generator(2)) * 2;
        var v = Tensor.Randn([2, rows, dim], new Generator(3));
        var keyIndex = Tensor.Arange(0, rows).Unsqueeze(0);
        var queryIndex = Tensor.Arange(0, rows).Unsqueeze(1);
        var allowed = masking switch
        {
            "causal" => keyIndex.Gt(queryIndex).LogicalNot(),
            "bool" => Tensor.Rand([rows, rows], new Generator(4)).Gt(0.3).LogicalOr(keyIndex.Eq(queryIndex)),
            _ => null,
        };
        var additive = masking == "float" ? Tensor.Randn([rows, rows], new Generator(5)) : null;

        var blocked = masking switch
        {
            "causal" => F.ScaledDotProductAttention(q, k, v, isCausal: true),
            "bool" => F.ScaledDotProductAttention(q, k, v, allowed),
            "float" => F.ScaledDotProductAttention(q, k, v, additive),
            _ => F.ScaledDotProductAttention(q, k, v),
        };
        var scores = sameQ.MatMul(k.Transpose(1, 2)) / Math.Sqrt(dim);
        if (allowed is not null) scores = scores.MaskedFill(allowed.LogicalNot(), double.NegativeInfinity);
        if (additive is not null) scores = scores + additive;
        var whole = scores.Softmax(-1).MatMul(v);
        ParityFixture.AssertClose(blocked, whole, $"attention ({masking})", 1e-5);

        blocked.Sum().Backward();
        whole.Sum().Backward();
        ParityFixture.AssertClose(q.Grad!, sameQ.Grad!, $"attention gradient ({masking})", 1e-4);
    }

    [Fact]
    public void Mse_loss_reductions()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.From(new float[] { 1, 2, 3 });
        var b = Tensor.From(new float[] { 1, 0, 0 });
        Assert.Equal(13.0 / 3, F.MseLoss(a, b).Item(), 5);
        Assert.Equal(13.0, F.MseLoss(a, b, Reduction.Sum).Item(), 5);
        Assert.Equal([0f, 4, 9], F.MseLoss(a, b, Reduction.None).ToArray<float>());
    }

    [Fact]
    public void Softmax_rows_sum_to_one()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From(new float[] { 1, 2, 3, -1, 0, 1 }, 2, 3);
        Assert.All(x.Softmax(1).Sum(1).ToArray<float>(), s => Assert.Equal(1f, s, 5));
        ParityFixture.AssertClose(x.LogSoftmax(-1), x.Softmax(-1).Log(), "log_softmax", 1e-6);
    }
}
