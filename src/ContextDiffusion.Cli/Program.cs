using System.CommandLine;
using ContextDiffusion.Cli.Commands;

// libtorch's intra-op threads: CDIFF_THREADS, else 1. Measured on the 2-core machines here (docs/benchmarks.md):
// a tiny-model training step takes 0.36 s on one OpenMP thread and 2.4 s on two, whose spin-waits collide
// with any other process. bench torch sets its own count.
ContextDiffusion.Torch.Torch.NumThreads = int.TryParse(Environment.GetEnvironmentVariable("CDIFF_THREADS"), out var threads) && threads > 0
    ? threads
    : 1;

var root = new RootCommand("cdiff: in-context image generation: model, pipeline and tools")
{
    BenchCommand.Create(),
    TrainCommand.Create(),
    GenerateCommand.Create(),
    EvalCommand.Create(),
};
return root.Parse(args).Invoke();
