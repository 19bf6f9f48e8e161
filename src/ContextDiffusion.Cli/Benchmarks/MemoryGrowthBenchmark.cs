using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Optim;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>
/// Process RSS growth over a small training loop (conv + linear regression with AdamW), from step
/// 1,000 (after warm-up: allocator pools, JIT) to the last step. Native memory leaks show up here.
/// </summary>
public static class MemoryGrowthBenchmark
{
    private const int WarmUpSteps = 1_000;

    public static double GrowthPercent(int steps)
    {
        Torch.Torch.ManualSeed(0);
        using var model = new Sequential(new Conv2d(3, 16, 3, padding: 1), new SiLU(), new Conv2d(16, 3, 3, padding: 1));
        using var optimizer = new AdamW(model.NamedParameters(), learningRate: 1e-3);
        using var input = Tensor.Randn([4, 3, 16, 16]);
        using var target = Tensor.Randn([4, 3, 16, 16]);
        long atWarmUp = 0;
        for (var step = 1; step <= steps; step++)
        {
            using (DisposeScope.Enter())
            {
                optimizer.ZeroGrad();
                F.MseLoss(model.Forward(input), target).Backward();
                optimizer.Step();
            }
            if (step == WarmUpSteps)
            {
                GC.Collect();
                atWarmUp = ProcessMemory.ResidentBytes();
            }
        }
        GC.Collect();
        return 100.0 * (ProcessMemory.ResidentBytes() - atWarmUp) / atWarmUp;
    }
}
