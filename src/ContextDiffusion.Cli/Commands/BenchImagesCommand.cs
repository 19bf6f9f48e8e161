using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

public static class BenchImagesCommand
{
    public static Command Create()
    {
        var command = new Command("images", "placeholder");
        command.SetAction(_ => { Console.Error.WriteLine("not built yet"); return 2; });
        return command;
    }
}
