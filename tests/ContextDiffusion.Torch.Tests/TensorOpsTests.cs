namespace ContextDiffusion.Torch.Tests;

// Shape, indexing and math ops beyond what the parity fixtures check: errors, views, in-place
// updates and lifetimes.
public class TensorOpsTests
{
    [Fact]
    public void Cat_of_mismatched_shapes_names_the_op_and_every_shape()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([2, 4]);
        var error = Assert.Throws<TorchException>(() => Tensor.Cat([a, b], 0));
        Assert.Equal("cat", error.Operation);
        Assert.Contains("[2, 3], [2, 4] along dim 0", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message);
        Assert.Equal("stack", Assert.Throws<TorchException>(() => Tensor.Stack([a, b])).Operation);
    }

    [Fact]
    public void Failures_of_other_ops_name_them()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Zeros([6, 2]);
        Assert.StartsWith("split", Assert.Throws<TorchException>(() => x.Split([1, 2], 0)).Operation);
        Assert.StartsWith("select", Assert.Throws<TorchException>(() => x.Select(0, 6)).Operation);
        Assert.StartsWith("expand", Assert.Throws<TorchException>(() => x.Expand(3, 2)).Operation);
        var put = Assert.Throws<TorchException>(() => x.IndexPut([Tensor.From(new long[] { 0, 1 })], Tensor.Zeros([3, 2])));
        Assert.Contains("[6, 2] by [2] from [3, 2]", put.Message);
        var addcmul = Assert.Throws<TorchException>(() => x.AddcmulInPlace(Tensor.Zeros([6, 2]), Tensor.Zeros([5])));
        Assert.Contains("[6, 2], [6, 2], [5]", addcmul.Message);
        Assert.Equal("allclose", Assert.Throws<TorchException>(() => x.AllClose(Tensor.Zeros([3]))).Operation);
    }

    [Fact]
    public void Views_share_storage_and_copies_do_not()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(0, 24, dtype: DType.Float32).Reshape(2, 3, 4);
        Assert.True(x.Select(1, 2).SharesStorageWith(x));
        Assert.True(x.Narrow(2, 1, 2).SharesStorageWith(x));
        Assert.True(x.Slice(2, step: 2).SharesStorageWith(x));
        Assert.True(x.Unsqueeze(0).Squeeze(0).SharesStorageWith(x));
        Assert.True(x.Select(0, 0).Unsqueeze(0).Expand(5, 3, 4).SharesStorageWith(x));
        Assert.All(x.Chunk(2, 2), piece => Assert.True(piece.SharesStorageWith(x)));
        Assert.False(x.Repeat(1, 1, 2).SharesStorageWith(x));
        Assert.False(x.Flip(0).SharesStorageWith(x));
        Assert.Equal([1f, 5, 9], x.Select(0, 0).Select(1, 1).ToArray<float>());
        Assert.Equal([8f, 10], x.Select(0, 0).Slice(0, -1).Slice(1, start: 0, step: 2).ToArray<float>());
    }

    [Fact]
    public void Chunk_and_split_follow_pytorch_piece_counts()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Arange(0, 5, dtype: DType.Float32);
        Assert.Equal([2L, 2, 1], x.Chunk(3).Select(p => p.Size(0)));
        Assert.Equal(5, x.Chunk(10).Length);
        Assert.Equal([2L, 2, 1], x.Split(2).Select(p => p.Size(0)));
        Assert.Equal([4f], x.Split([1, 3, 1])[2].ToArray<float>());
    }

    [Fact]
    public void Max_and_min_return_values_and_first_indices()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From(new float[] { 3, 7, 7, 1, -2, 0 }, 2, 3);
        var (values, indices) = x.Max(1);
        Assert.Equal([7f, 1], values.ToArray<float>());
        Assert.Equal([1L, 0], indices.ToArray<long>());
        var (minimum, where) = x.Min(0, keepDim: true);
        Assert.Equal([1L, 3], minimum.Shape);
        Assert.Equal([1L, 1, 1], where.ToArray<long>());
        Assert.Equal(1, x.Argmax().Item());
        Assert.Equal(4, x.Argmin().Item());
    }

    [Fact]
    public void In_place_updates_compose_an_adamw_step()
    {
        using var scope = DisposeScope.Enter();
        var grad = Tensor.From(new float[] { 0.5f, -1, 2 });
        var m = Tensor.From(new float[] { 0.1f, 0.2f, -0.3f });
        var v = Tensor.From(new float[] { 0.01f, 0.02f, 0.03f });
        var p = Tensor.From(new float[] { 1, 2, 3 });
        var expectedM = m * 0.9 + grad * 0.1;
        var expectedV = v * 0.999 + grad * grad * 0.001;
        var expectedP = p - 0.01 * expectedM / (expectedV.Sqrt() + 1e-8);

        Assert.Same(m, m.LerpInPlace(grad, 0.1));
        v.MulInPlace(0.999).AddcmulInPlace(grad, grad, 0.001);
        var denominator = v.Sqrt().AddInPlace(1e-8);
        p.AddcdivInPlace(m, denominator, -0.01);

        Assert.True(m.AllClose(expectedM));
        Assert.True(v.AllClose(expectedV));
        Assert.True(p.AllClose(expectedP));
        Assert.False(p.AllClose(expectedP + 1e-3));
        Assert.Equal([0f, 0, 0], p.ZeroInPlace().ToArray<float>());
        Assert.Equal([2.5f, 2.5f, 2.5f], p.FillInPlace(2.5).ToArray<float>());
    }

    [Fact]
    public void Like_constructors_copy_shape_dtype_and_device()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.Zeros([2, 3], DType.Float64);
        foreach (var like in new[] { Tensor.EmptyLike(x), Tensor.ZerosLike(x), Tensor.OnesLike(x), Tensor.FullLike(x, 4), Tensor.RandnLike(x) })
        {
            Assert.Equal(x.Shape, like.Shape);
            Assert.Equal(DType.Float64, like.DType);
            Assert.Equal(x.Device, like.Device);
        }
        Assert.Equal([4.0, 4, 4, 4, 4, 4], Tensor.FullLike(x, 4).ToArray<double>());
    }

    [Fact]
    public void Clamp_with_one_bound_leaves_the_other_open()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From(new float[] { -5, 0, 5 });
        Assert.Equal([-5f, 0, 1], x.Clamp(max: 1).ToArray<float>());
        Assert.Equal([-1f, 0, 5], x.Clamp(Tensor.Scalar(-1f), null).ToArray<float>());
    }

    [Fact]
    public void All_and_any_reduce_all_or_one_dim()
    {
        using var scope = DisposeScope.Enter();
        var x = Tensor.From(new[] { true, false, true, true }, 2, 2);
        Assert.Equal(0, x.All().Item());
        Assert.Equal(1, x.Any().Item());
        Assert.Equal([true, false], x.All(0).ToArray<bool>());
        Assert.Equal([false, true], x.All(1).ToArray<bool>());
    }

    [Fact]
    public void Ops_in_a_scope_leave_no_live_tensors()
    {
        Finalizers.Flush();
        var before = Tensor.LiveCount;
        for (var i = 0; i < 3; i++)
        {
            using var scope = DisposeScope.Enter();
            var x = Tensor.Randn([4, 6]).RequiresGrad_();
            var pieces = x.Split([2, 4], 1);
            var (values, _) = Tensor.Cat([pieces[1], pieces[0]], 1).Flip(0).Max(1);
            var y = Tensor.Stack([values, x.Std(1)]).Clamp(-1, 1).LogSumExp(0)
                + x.Index(Tensor.From(new long[] { 0, 3 })).Norm()
                + x.Gather(1, Tensor.Zeros([4, 1], DType.Int64)).Sum()
                + x.Unsqueeze(0).Bmm(x.Transpose(0, 1).Unsqueeze(0)).Cumsum(1).Mean();
            y.Sum().Backward();
            Assert.True(x.Grad!.Abs().Sum().Item() > 0);
        }
        Assert.Equal(before, Tensor.LiveCount);
    }
}
