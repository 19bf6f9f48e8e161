using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' Downsample2D with a convolution: a 3x3 conv of stride 2 (<c>conv</c>) halves the height
/// and width. The UNet pads by 1 on every side; the VAE uses padding 0 and pads the input by one row
/// and column at the bottom and right only (F.pad (0, 1, 0, 1)), as the original LDM autoencoder did.
/// </summary>
public sealed class Downsample2D : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly long padding;

    public Downsample2D(long channels, long padding = 1)
    {
        this.padding = padding;
        conv = RegisterModule("conv", new Conv2d(channels, channels, 3, stride: 2, padding: padding));
    }

    public override Tensor Forward(Tensor input)
    {
        if (padding != 0) return conv.Forward(input);
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(conv.Forward(Functional.Pad(input, [0, 1, 0, 1])));
    }
}
