using System.CommandLine;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff datasets upload|synthesize`: datasets in object storage, for training runs on the workers, and a synthetic one for demos.</summary>
public static class DatasetsCommand
{
    public static Command Create() => new("datasets", "Datasets in object storage, for cdiff train-remote")
    {
        DatasetsUploadCommand.Create(),
        DatasetsSynthesizeCommand.Create(),
    };
}
