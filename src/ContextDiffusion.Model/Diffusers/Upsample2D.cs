using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>diffusers' Upsample2D with a convolution: nearest-neighbour x2 (or to a given size), then a 3x3 <c>conv</c>.</summary>
public sealed class Upsample2D : Module
{
    private readonly Conv2d conv;

    public Upsample2D(long channels) => conv = RegisterModule("conv", new Conv2d(channels, channels, 3, padding: 1));

    /// <summary>
    /// Doubles height and width, or resizes to <paramref name="outputSize"/>: the UNet passes the size of
    /// the skip connection it concatenates next, so inputs whose sides are not multiples of 2^levels work.
    /// </summary>
    public Tensor Forward(Tensor input, Pair? outputSize = null)
    {
        using var scope = DisposeScope.Enter();
        var upsampled = outputSize is { } size
            ? Functional.Interpolate(input, size: size)
            : Functional.Interpolate(input, scaleFactor: 2.0);
        return scope.MoveToOuter(conv.Forward(upsampled));
    }
}
