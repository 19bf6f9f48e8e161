using ContextDiffusion.Torch;

namespace ContextDiffusion.Torch.Tests;

public class TensorCoreTests
{
    [Fact]
    public void Round_trips_data_shape_and_dtype()
    {
        using var t = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(DType.Float32, t.DType);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.ToArray<float>());
    }

    [Theory]
    [InlineData(DType.Float16)]
    [InlineData(DType.BFloat16)]
    [InlineData(DType.Int64)]
    [InlineData(DType.Int32)]
    [InlineData(DType.UInt8)]
    [InlineData(DType.Bool)]
    public void Converts_between_dtypes(DType dtype)
    {
        using var t = Tensor.From(new float[] { 0, 1, 2, 3 });
        using var converted = t.To(dtype);
        using var back = converted.To(DType.Float32);
        Assert.Equal(dtype, converted.DType);
        var expected = dtype == DType.Bool ? new float[] { 0, 1, 1, 1 } : [0, 1, 2, 3];
        Assert.Equal(expected, back.ToArray<float>());
    }

    [Fact]
    public void Broadcasting_arithmetic_and_scalar_promotion_follow_pytorch()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.From(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var b = Tensor.From(new float[] { 10, 20, 30 }, 3);
        Assert.Equal([11f, 22, 33, 14, 25, 36], (a + b).ToArray<float>());
        Assert.Equal([0f, -1, -2, -3, -4, -5], (1 - a).ToArray<float>());
        var ints = Tensor.From(new long[] { 1, 2, 3 });
        Assert.Equal(DType.Int64, (ints + 1).DType);
        Assert.Equal(DType.Float32, (ints * 0.5).DType);
        Assert.Equal(DType.Float32, (a + 1).DType);
    }

    [Fact]
    public void Failure_names_the_operation_and_shapes()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);
        var error = Assert.Throws<TorchException>(() => a.MatMul(b));
        Assert.Equal("matmul", error.Operation);
        Assert.Contains("[2, 3] and [4, 5]", error.Message);
        Assert.DoesNotContain("Exception raised from", error.Message); // no C++ backtrace
        Assert.Throws<TorchException>(() => a.Reshape(7));
        Assert.Throws<TorchException>(() => Tensor.FromBytes(new byte[5], DType.Float32, [2]));
    }

    [Fact]
    public void Dispose_scope_frees_every_temporary()
    {
        Finalizers.Flush();
        var before = Tensor.LiveCount;
        Tensor kept;
        using (var scope = DisposeScope.Enter())
        {
            var x = Tensor.Ones([8, 8]);
            var y = (x * 2 + x).Exp().Sum();
            kept = scope.MoveToOuter(y);
            Assert.True(scope.Count >= 3);
        }
        Assert.Equal(before + 1, Tensor.LiveCount);
        Assert.False(kept.IsDisposed);
        kept.Dispose();
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public async Task Dispose_scope_follows_awaits_across_threads()
    {
        Tensor created;
        using (var scope = DisposeScope.Enter())
        {
            await Task.Yield();
            created = await Task.Run(() => Tensor.Ones([3]) * 2);
            await Task.Delay(1);
            var inner = Tensor.Zeros([2]);
            Assert.Same(scope, DisposeScope.Current);
        }
        Assert.True(created.IsDisposed);
    }

    [Fact]
    public void Views_share_storage_without_copying()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Arange(0, 12, dtype: DType.Float32);
        var v = a.View(3, 4).Transpose(0, 1);
        Assert.True(v.SharesStorageWith(a));
        Assert.False(v.IsContiguous);
        Assert.Equal([0f, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11], v.ToArray<float>());
    }

    [Fact]
    public void Autograd_computes_gradients_and_no_grad_stops_recording()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.From(new float[] { 1, 2, 3 }).RequiresGrad_();
        var loss = (w * w).Sum();
        loss.Backward();
        Assert.Equal([2f, 4, 6], w.Grad!.ToArray<float>());
        using (Torch.NoGrad())
        {
            Assert.False((w * 2).RequiresGrad);
        }
        Assert.True((w * 2).RequiresGrad);
        w.ZeroGrad();
        Assert.Null(w.Grad);
    }
}
