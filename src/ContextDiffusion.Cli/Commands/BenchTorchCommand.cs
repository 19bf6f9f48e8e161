using System.CommandLine;
using ContextDiffusion.Cli.Benchmarks;

namespace ContextDiffusion.Cli.Commands;

public static class BenchTorchCommand
{
    public static Command Create()
    {
        var calls = new Option<int>("--dispatch-calls") { Description = "Calls per timed run of the tiny-op benchmark", DefaultValueFactory = _ => 200_000 };
        var command = new Command("torch", "libtorch binding: forward+backward vs PyTorch, per-call dispatch, memory growth") { calls };
        command.SetAction(parse =>
        {
            var dispatch = DispatchBenchmark.MicrosecondsPerCall(parse.GetValue(calls));
            Console.WriteLine($"dispatch_us={dispatch:F3}");
            return 0;
        });
        return command;
    }
}
