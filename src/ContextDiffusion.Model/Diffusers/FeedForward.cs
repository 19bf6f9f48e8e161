using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' FeedForward with GEGLU: <c>net.0</c> a <see cref="GEGLU"/> from dim to 4 x dim, <c>net.1</c>
/// a dropout (p = 0 in these models), <c>net.2</c> a Linear back to dim.
/// </summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly Sequential net;

    public FeedForward(long dim, long mult = 4)
    {
        var innerDim = dim * mult;
        net = RegisterModule("net", new Sequential(new GEGLU(dim, innerDim), new Dropout(0), new Linear(innerDim, dim)));
    }

    public override Tensor Forward(Tensor input) => net.Forward(input);
}
