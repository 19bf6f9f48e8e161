using ContextDiffusion.Torch;

namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>Microseconds per call of a tiny op: adding two one-element tensors, result disposed.</summary>
public static class DispatchBenchmark
{
    public static double MicrosecondsPerCall(int calls)
    {
        using var one = Tensor.Ones([1]);
        using var two = Tensor.Ones([1]);
        var seconds = Timing.MedianSeconds(() =>
        {
            for (var i = 0; i < calls; i++)
            {
                using var sum = one + two;
            }
        }, runs: 5);
        return seconds / calls * 1e6;
    }
}
