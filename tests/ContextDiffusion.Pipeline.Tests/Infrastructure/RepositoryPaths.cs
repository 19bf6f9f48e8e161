namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>Where the repository is (found from the test binaries upwards) and the shared dataset beside it.</summary>
public static class RepositoryPaths
{
    public const string SolutionFile = "ContextDiffusion.Pipeline.sln";

    public static string Root { get; } = FindRoot();

    /// <summary>../shared/data of the repository: the dataset in the manifest.jsonl format.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile))) return directory.FullName;
        throw new InvalidOperationException($"no {SolutionFile} above {AppContext.BaseDirectory}");
    }
}
