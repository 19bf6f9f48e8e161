using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

public static class BenchTorchCommand
{
    public static Command Create()
    {
        var command = new Command("torch", "placeholder");
        command.SetAction(_ => { Console.Error.WriteLine("not built yet"); return 2; });
        return command;
    }
}
