namespace ContextDiffusion.Torch.NN;

/// <summary>
/// torch.nn.init: fills parameters in place, outside autograd, drawing from libtorch's default
/// generator (seeded by <see cref="Torch.ManualSeed"/>). Draws happen in the same order and with the
/// same bounds as PyTorch's, so a seeded model starts from PyTorch's very values. Each returns its tensor.
/// </summary>
public static class Init
{
    public static Tensor Uniform(Tensor tensor, double low = 0, double high = 1)
    {
        using (Torch.NoGrad()) return tensor.UniformInPlace(low, high);
    }

    public static Tensor Normal(Tensor tensor, double mean = 0, double std = 1)
    {
        using (Torch.NoGrad()) return tensor.NormalInPlace(mean, std);
    }

    public static Tensor Constant(Tensor tensor, double value)
    {
        using (Torch.NoGrad()) return tensor.FillInPlace(value);
    }

    public static Tensor Zeros(Tensor tensor) => Constant(tensor, 0);

    public static Tensor Ones(Tensor tensor) => Constant(tensor, 1);

    /// <summary>
    /// He initialisation in PyTorch's default mode (fan_in, leaky_relu with slope <paramref name="a"/>):
    /// U(-b, b) with b = sqrt(6 / ((1 + a^2) fan_in)). Linear and Conv layers use a = sqrt(5).
    /// </summary>
    public static Tensor KaimingUniform(Tensor tensor, double a = 0)
    {
        var gain = Math.Sqrt(2.0 / (1 + a * a));
        var bound = Math.Sqrt(3.0) * gain / Math.Sqrt(FanInAndFanOut(tensor).FanIn);
        return Uniform(tensor, -bound, bound);
    }

    /// <summary>Glorot initialisation: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).</summary>
    public static Tensor XavierUniform(Tensor tensor, double gain = 1)
    {
        var (fanIn, fanOut) = FanInAndFanOut(tensor);
        var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform(tensor, -bound, bound);
    }

    /// <summary>
    /// The initialisation of PyTorch's Linear and Conv layers (their reset_parameters): the weight
    /// <see cref="KaimingUniform"/> with a = sqrt(5), which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), then
    /// the bias from the same bound.
    /// </summary>
    public static void LinearOrConvDefault(Tensor weight, Tensor? bias)
    {
        KaimingUniform(weight, Math.Sqrt(5));
        if (bias is null) return;
        var fanIn = FanInAndFanOut(weight).FanIn;
        var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
        Uniform(bias, -bound, bound);
    }

    /// <summary>
    /// The fans of a weight of at least two dimensions, as PyTorch counts them: (dim 1, dim 0) times the
    /// product of the remaining (kernel) dimensions.
    /// </summary>
    public static (long FanIn, long FanOut) FanInAndFanOut(Tensor tensor)
    {
        var shape = tensor.Shape;
        if (shape.Length < 2)
            throw new ArgumentException($"fans need a tensor of at least 2 dimensions, not {Tensor.ShapeText(shape)}", nameof(tensor));
        long receptiveField = 1;
        for (var i = 2; i < shape.Length; i++) receptiveField *= shape[i];
        return (shape[1] * receptiveField, shape[0] * receptiveField);
    }

    /// <summary>Zeroes every parameter of <paramref name="module"/> (ControlNet's zero convolutions) and returns it.</summary>
    public static T ZeroModule<T>(T module) where T : Module
    {
        foreach (var parameter in module.Parameters()) Zeros(parameter);
        return module;
    }
}
