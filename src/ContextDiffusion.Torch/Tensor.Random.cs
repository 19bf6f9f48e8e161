using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

// Random sampling. Every op takes an optional Generator; without one it uses libtorch's default
// generator of the tensor's device (seeded by Torch.ManualSeed). The new-tensor forms are the
// in-place samplers applied to an empty tensor, exactly as PyTorch builds torch.rand / randn /
// randint / normal, so a seeded CPU generator reproduces PyTorch's numbers.
public sealed partial class Tensor
{
    /// <summary>Uniform samples in [0, 1).</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Sampled(Empty(shape, dtype, device), t => t.UniformInPlace(0, 1, generator));

    /// <summary>Standard normal samples.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, Generator? generator = null, DType dtype = DType.Float32, Device? device = null) =>
        Sampled(Empty(shape, dtype, device), t => t.NormalInPlace(0, 1, generator));

    /// <summary>Integers uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static Tensor RandInt(long low, long high, ReadOnlySpan<long> shape, Generator? generator = null, DType dtype = DType.Int64,
        Device? device = null) =>
        Sampled(Empty(shape, dtype, device), t => t.RandomInPlace(low, high, generator));

    /// <summary>Samples of N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
    public static Tensor Normal(double mean, double std, ReadOnlySpan<long> shape, Generator? generator = null, DType dtype = DType.Float32,
        Device? device = null) =>
        Sampled(Empty(shape, dtype, device), t => t.NormalInPlace(mean, std, generator));

    public static Tensor RandLike(Tensor like, Generator? generator = null) => Rand(like.Shape, generator, like.DType, like.Device);

    public static Tensor RandnLike(Tensor like, Generator? generator = null) => Randn(like.Shape, generator, like.DType, like.Device);

    /// <summary>One sample per element of N(mean, std²), with broadcast tensors of means and standard deviations.</summary>
    public static Tensor Normal(Tensor mean, Tensor std, Generator? generator = null) =>
        Check(LibTorch.cdt_normal(mean.Handle, std.Handle, Generator.HandleOf(generator)), "normal", $"{ShapesText([mean, std])}");

    /// <summary>A random permutation of 0 .. n-1.</summary>
    public static Tensor Randperm(long n, Generator? generator = null, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Check(LibTorch.cdt_randperm(n, Generator.HandleOf(generator), (int)dtype, (int)d.Type, d.Index), "randperm", $"n = {n} on {d}");
    }

    /// <summary>0 or 1 per element, 1 with the probability this tensor holds.</summary>
    public Tensor Bernoulli(Generator? generator = null) => Wrap(LibTorch.cdt_bernoulli(Handle, Generator.HandleOf(generator)), "bernoulli", this);

    /// <summary>
    /// Int64 indices of <paramref name="samples"/> categories drawn from each row of this tensor of
    /// (unnormalised, non-negative) weights.
    /// </summary>
    public Tensor Multinomial(long samples, bool replacement = false, Generator? generator = null) =>
        Wrap(LibTorch.cdt_multinomial(Handle, samples, replacement ? 1 : 0, Generator.HandleOf(generator)), $"multinomial({samples})", this);

    // In-place samplers, outside autograd (weight initialisation runs them under Torch.NoGrad()).
    public Tensor UniformInPlace(double from = 0, double to = 1, Generator? generator = null)
    {
        CheckStatus(LibTorch.cdt_uniform_(Handle, from, to, Generator.HandleOf(generator)), "uniform_", this);
        return this;
    }

    public Tensor NormalInPlace(double mean = 0, double std = 1, Generator? generator = null)
    {
        CheckStatus(LibTorch.cdt_normal_(Handle, mean, std, Generator.HandleOf(generator)), "normal_", this);
        return this;
    }

    /// <summary>Fills with integers uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public Tensor RandomInPlace(long low, long high, Generator? generator = null)
    {
        CheckStatus(LibTorch.cdt_random_(Handle, low, high, Generator.HandleOf(generator)), "random_", this);
        return this;
    }

    // Fills a new tensor in place; frees it at once when sampling fails (e.g. a generator of another device).
    private static Tensor Sampled(Tensor empty, Action<Tensor> sample)
    {
        try
        {
            sample(empty);
            return empty;
        }
        catch
        {
            empty.Dispose();
            throw;
        }
    }
}
