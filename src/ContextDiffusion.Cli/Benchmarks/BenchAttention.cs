using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>Multi-head attention of the torch benchmark; the same layers and math as torch_reference.py's Attention.</summary>
public sealed class BenchAttention : Module
{
    private readonly Linear toQ, toK, toV, toOut;
    private readonly long heads;

    public BenchAttention(long dim, long contextDim, long heads)
    {
        this.heads = heads;
        toQ = RegisterModule("to_q", new Linear(dim, dim, bias: false));
        toK = RegisterModule("to_k", new Linear(contextDim, dim, bias: false));
        toV = RegisterModule("to_v", new Linear(contextDim, dim, bias: false));
        toOut = RegisterModule("to_out", new Linear(dim, dim));
    }

    public Tensor Forward(Tensor x, Tensor context)
    {
        using var scope = DisposeScope.Enter();
        long batch = x.Size(0), tokens = x.Size(1), dim = x.Size(2);
        Tensor Heads(Tensor t) => t.Reshape(batch, -1, heads, dim / heads).Transpose(1, 2);
        var attended = F.ScaledDotProductAttention(Heads(toQ.Forward(x)), Heads(toK.Forward(context)), Heads(toV.Forward(context)));
        return scope.MoveToOuter(toOut.Forward(attended.Transpose(1, 2).Reshape(batch, tokens, dim)));
    }
}
