using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff datasets upload`: datasets in object storage, for training runs on the workers.</summary>
public static class DatasetsCommand
{
    public static Command Create() => new("datasets", "Datasets in object storage, for cdiff train-remote")
    {
        DatasetsUploadCommand.Create(),
    };
}
