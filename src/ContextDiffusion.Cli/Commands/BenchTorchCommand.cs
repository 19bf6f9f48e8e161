using System.CommandLine;
using ContextDiffusion.Cli.Benchmarks;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff bench torch`: the binding against PyTorch eager on the same libtorch build, same threads.
/// Prints one line: torch-bench: fwd_bwd_ratio_vs_pytorch=R dispatch_us=D pytorch_dispatch_us=P rss_growth_pct=G
/// </summary>
public static class BenchTorchCommand
{
    public static Command Create()
    {
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads for both sides", DefaultValueFactory = _ => Environment.ProcessorCount };
        var runs = new Option<int>("--runs") { Description = "Timed forward+backward runs per side (median)", DefaultValueFactory = _ => 3 };
        var blocks = new Option<int>("--blocks") { Description = "UNet-style blocks in the stack", DefaultValueFactory = _ => 2 };
        var heads = new Option<int>("--heads") { Description = "Attention heads", DefaultValueFactory = _ => 4 };
        var calls = new Option<int>("--dispatch-calls") { Description = "Calls per timed run of the tiny-op benchmark", DefaultValueFactory = _ => 200_000 };
        var steps = new Option<int>("--memory-steps") { Description = "Training steps of the memory-growth loop (growth measured from step 1,000)", DefaultValueFactory = _ => 10_000 };
        var command = new Command("torch", "libtorch binding vs PyTorch: forward+backward time, per-call dispatch, memory growth")
        {
            threads, runs, blocks, heads, calls, steps,
        };
        command.SetAction(parse =>
        {
            if (PythonReference.MissingReason() is { } missing)
            {
                Console.Error.WriteLine($"torch-bench: cannot compare with PyTorch: {missing}");
                return 2;
            }
            var threadCount = parse.GetValue(threads);
            Torch.Torch.NumThreads = threadCount;
            var shape = new BlockStackShape(Heads: parse.GetValue(heads), Blocks: parse.GetValue(blocks));

            var dispatch = DispatchBenchmark.MicrosecondsPerCall(parse.GetValue(calls));
            var growth = MemoryGrowthBenchmark.GrowthPercent(parse.GetValue(steps));
            var ours = BlockStackBenchmark.MedianSeconds(shape, parse.GetValue(runs));
            var reference = PythonReference.RunScript("torch_reference.py",
                [.. shape.PythonArguments(), "--threads", $"{threadCount}", "--runs", $"{parse.GetValue(runs)}",
                 "--dispatch-calls", $"{parse.GetValue(calls)}"]);
            var theirs = reference.GetProperty("fwd_bwd_s").GetDouble();
            var theirDispatch = reference.GetProperty("dispatch_us").GetDouble();

            Console.Error.WriteLine($"threads={threadCount} ours_fwd_bwd_s={ours:F3} pytorch_fwd_bwd_s={theirs:F3} libtorch={Torch.Torch.LibTorchVersion}");
            Console.WriteLine($"torch-bench: fwd_bwd_ratio_vs_pytorch={ours / theirs:F3} dispatch_us={dispatch:F3} " +
                              $"pytorch_dispatch_us={theirDispatch:F3} rss_growth_pct={growth:F2}");
            return 0;
        });
        return command;
    }
}
