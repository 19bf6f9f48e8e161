namespace ContextDiffusion.Torch.Tests;

// Autocast on CPU in bfloat16 (the CPU side of libtorch's autocast); CUDA works the same way in float16 or bfloat16.
public class AutocastTests
{
    [Fact]
    public void Matmul_runs_in_bf16_inside_the_scope_and_in_float32_outside()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Ones([2, 3]);
        var b = Tensor.Ones([3, 4]);
        using (Torch.Autocast(DeviceType.Cpu, DType.BFloat16))
        {
            Assert.True(Torch.IsAutocastEnabled(DeviceType.Cpu));
            Assert.Equal(DType.BFloat16, a.MatMul(b).DType);
            Assert.Equal(DType.Float32, (a + 1).DType); // elementwise ops keep their dtype
        }
        Assert.False(Torch.IsAutocastEnabled(DeviceType.Cpu));
        Assert.Equal(DType.Float32, a.MatMul(b).DType);
    }

    [Fact]
    public void Scopes_nest_and_each_restores_what_it_replaced()
    {
        using var scope = DisposeScope.Enter();
        var a = Tensor.Ones([2, 2]);
        using (Torch.Autocast(DeviceType.Cpu, DType.BFloat16))
        {
            using (Torch.Autocast(DeviceType.Cpu, DType.BFloat16, enabled: false))
            {
                Assert.False(Torch.IsAutocastEnabled(DeviceType.Cpu));
                Assert.Equal(DType.Float32, a.MatMul(a).DType);
            }
            Assert.True(Torch.IsAutocastEnabled(DeviceType.Cpu));
            Assert.Equal(DType.BFloat16, a.MatMul(a).DType);
        }
        Assert.False(Torch.IsAutocastEnabled(DeviceType.Cpu));
    }

    [Fact]
    public void Float32_weights_get_float32_gradients()
    {
        using var scope = DisposeScope.Enter();
        var w = Tensor.Ones([3, 2]).RequiresGrad_();
        var x = Tensor.Ones([4, 3]);
        Tensor y;
        using (Torch.Autocast(DeviceType.Cpu, DType.BFloat16)) y = x.MatMul(w);
        y.To(DType.Float32).Sum().Backward();
        Assert.Equal(DType.Float32, w.Grad!.DType);
        Assert.All(w.Grad!.ToArray<float>(), g => Assert.Equal(4f, g));
    }

    [Fact]
    public void Only_half_precision_dtypes_are_accepted()
    {
        Assert.Throws<ArgumentException>(() => Torch.Autocast(DeviceType.Cpu, DType.Float32));
        Assert.False(Torch.IsAutocastEnabled(DeviceType.Cpu));
    }
}
