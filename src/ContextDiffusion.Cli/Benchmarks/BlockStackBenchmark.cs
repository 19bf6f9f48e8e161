using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>The shape of the forward+backward comparison; the Python reference gets the same values.</summary>
public sealed record BlockStackShape(int Batch = 8, int Size = 64, int Channels = 128, int ContextTokens = 77, int Heads = 4, int Blocks = 2)
{
    public string[] PythonArguments() =>
    [
        "--batch", $"{Batch}", "--size", $"{Size}", "--channels", $"{Channels}", "--context-tokens", $"{ContextTokens}",
        "--heads", $"{Heads}", "--blocks", $"{Blocks}",
    ];
}

/// <summary>Median seconds of one forward + backward through a stack of <see cref="UNetStyleBlock"/>s.</summary>
public static class BlockStackBenchmark
{
    public static double MedianSeconds(BlockStackShape shape, int runs)
    {
        Torch.Torch.ManualSeed(0);
        using var blocks = new ModuleList<UNetStyleBlock>(
            Enumerable.Range(0, shape.Blocks).Select(_ => new UNetStyleBlock(shape.Channels, shape.Channels, shape.Heads)));
        using var x = Tensor.Randn([shape.Batch, shape.Channels, shape.Size, shape.Size]);
        using var context = Tensor.Randn([shape.Batch, shape.ContextTokens, shape.Channels]);
        return Timing.MedianSeconds(() =>
        {
            using var scope = DisposeScope.Enter();
            var h = x;
            foreach (var block in blocks) h = block.Forward(h, context);
            h.Mean().Backward();
            blocks.ZeroGrad();
        }, runs);
    }
}
