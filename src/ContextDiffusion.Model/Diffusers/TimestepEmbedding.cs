using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Model.Diffusers;

/// <summary>
/// diffusers' TimestepEmbedding: the MLP that turns the sinusoidal timestep embedding into the vector
/// every resnet block receives. <c>linear_1</c>, SiLU (diffusers' <c>act</c>, no parameters), <c>linear_2</c>.
/// </summary>
public sealed class TimestepEmbedding : Module<Tensor, Tensor>
{
    private readonly Linear linear1;
    private readonly Linear linear2;

    public TimestepEmbedding(long inChannels, long timeEmbedDim)
    {
        linear1 = RegisterModule("linear_1", new Linear(inChannels, timeEmbedDim));
        linear2 = RegisterModule("linear_2", new Linear(timeEmbedDim, timeEmbedDim));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = DisposeScope.Enter();
        return scope.MoveToOuter(linear2.Forward(linear1.Forward(input).Silu()));
    }
}
