using System.Diagnostics;

namespace ContextDiffusion.Pipeline.Tests.Infrastructure;

/// <summary>
/// `cdiff worker` as a process of its own, on the fixture's services, so a test can kill it the hard way
/// (SIGKILL: no shutdown code runs, leases and unacknowledged messages are left as a crash leaves them).
/// </summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly string cache = WorkerSettings.NewCacheDirectory();

    private WorkerProcess(PipelineFixture fixture, IReadOnlyDictionary<string, string?> overrides)
    {
        var start = new ProcessStartInfo("dotnet", [CliPath, "worker"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Configuration keys as environment variables: Postgres:ConnectionString -> Postgres__ConnectionString.
        foreach (var (key, value) in fixture.Configuration.Concat(WorkerSettings.For(cache, overrides)))
            start.Environment[key.Replace(":", "__")] = value;
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start the worker process");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The CLI built beside this test project, in the same configuration.</summary>
    public static string CliPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
            var path = Path.Combine(RepositoryPaths.Root, "src", "ContextDiffusion.Cli", "bin", configuration, "net10.0", "cdiff.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the CLI is not built: no {path}", path);
        }
    }

    public static WorkerProcess Start(PipelineFixture fixture, IReadOnlyDictionary<string, string?> overrides) => new(fixture, overrides);

    public bool HasExited => process.HasExited;

    /// <summary>What the worker printed (its log), line by line.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    /// <summary>SIGSTOP: the process is frozen as a long GC pause or a stalled VM freezes one.</summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, $"{process.Id}"])!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL, at once.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Resume();
            Kill();
        }
        process.Dispose();
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
    }
}
