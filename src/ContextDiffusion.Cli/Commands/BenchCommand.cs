using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff bench ...`: commands that measure and print one figure line each.</summary>
public static class BenchCommand
{
    public static Command Create() => new("bench", "Measure speed and memory; each prints one line of figures")
    {
        BenchTorchCommand.Create(),
        BenchImagesCommand.Create(),
        BenchPipelineCommand.Create(),
    };
}
