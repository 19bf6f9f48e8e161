using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' GEGLU, the gated GELU unit of the transformer feed-forward: <c>proj</c> maps to twice the
/// output width; the first half, times GELU (exact) of the second half, is the output.
/// </summary>
public sealed class GEGLU : Module<Tensor, Tensor>
{
    private readonly Linear proj;

    public GEGLU(long dimIn, long dimOut) => proj = RegisterModule("proj", new Linear(dimIn, dimOut * 2));

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        var halves = proj.Forward(input).Chunk(2, dim: -1);
        return scope.MoveToOuter(halves[0] * halves[1].Gelu());
    }
}
