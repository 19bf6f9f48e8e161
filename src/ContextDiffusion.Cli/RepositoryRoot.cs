namespace ContextDiffusion.Cli;

/// <summary>
/// The checkout the program runs from: the nearest folder holding <c>deploy/local/services.sh</c>, looked
/// for above the current directory and then above the program's own files (a build output lives inside the checkout).
/// </summary>
public static class RepositoryRoot
{
    public static readonly string ServicesScript = Path.Combine("deploy", "local", "services.sh");

    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, ServicesScript))) return dir.FullName;
        throw new DirectoryNotFoundException(
            $"no {ServicesScript} above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}: run cdiff from inside the ContextDiffusion.Pipeline checkout");
    }
}
