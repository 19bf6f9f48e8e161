using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff models list|import|promote`: the model registry.</summary>
public static class ModelsCommand
{
    public static Command Create() => new("models", "List, import and promote model versions")
    {
        ModelsListCommand.Create(),
        ModelsImportCommand.Create(),
        ModelsPromoteCommand.Create(),
    };
}
