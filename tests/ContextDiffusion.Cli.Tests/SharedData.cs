using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Cli.Tests;

/// <summary>The real paired images in ../shared/data beside the repository root, loaded once.</summary>
internal static class SharedData
{
    public static string Folder { get; } = Locate();

    public static DatasetManifest Manifest { get; } = DatasetManifest.Load(Folder);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContextDiffusion.Pipeline.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
        throw new DirectoryNotFoundException("the repository root (ContextDiffusion.Pipeline.sln) is not above " + AppContext.BaseDirectory);
    }
}
