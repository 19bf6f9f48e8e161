using System.CommandLine;
using ContextDiffusion.Cli.Commands;

// Commands that run the model in this process, and so load libtorch.
Command[] modelCommands =
[
    BenchCommand.Create(),
    TrainCommand.Create(),
    GenerateCommand.Create(),
    EvalCommand.Create(),
    WorkerCommand.Create(),
    // It writes a random-weight model for its workers.
    ChaosCommand.Create(),
];

// Commands that talk to the pipeline (its API, PostgreSQL, S3, RabbitMQ) and never touch libtorch, so they
// also run where it is not installed.
Command[] pipelineCommands =
[
    SubmitCommand.Create(),
    StatusCommand.Create(),
    CancelCommand.Create(),
    EventsCommand.Create(),
    ModelsCommand.Create(),
    TrainRemoteCommand.Create(),
    DatasetsCommand.Create(),
    DbCommand.Create(),
    ApiKeysCommand.Create(),
    DashboardCommand.Create(),
    ServicesCommand.Create(),
    ServeCommand.Create(),
];

var root = new RootCommand("cdiff: in-context image generation: model, pipeline and tools");
foreach (var subcommand in modelCommands.Concat(pipelineCommands)) root.Subcommands.Add(subcommand);
var parse = root.Parse(args);

// libtorch's intra-op threads: CDIFF_THREADS, else 1. Measured on the 2-core machines here (docs/benchmarks.md):
// a tiny-model training step takes 0.36 s on one OpenMP thread and 2.4 s on two, whose spin-waits collide
// with any other process. bench torch sets its own count.
var command = parse.CommandResult.Command;
if (modelCommands.Any(m => m == command || m.Subcommands.Contains(command)))
    ContextDiffusion.Torch.Torch.NumThreads = int.TryParse(Environment.GetEnvironmentVariable("CDIFF_THREADS"), out var threads) && threads > 0
        ? threads
        : 1;
// chaos handles Ctrl+C itself: stopping its processes and services takes longer than System.CommandLine's 2 s grace.
var invocation = command.Name == "chaos" ? new InvocationConfiguration { ProcessTerminationTimeout = null } : null;
return await parse.InvokeAsync(invocation);
