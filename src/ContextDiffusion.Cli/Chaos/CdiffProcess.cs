using System.Diagnostics;
using System.Reflection;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// `cdiff serve` or `cdiff worker` run from the very program this run is (same build), as a process of its own
/// that chaos can kill, stop and resume; its output goes to a log file.
/// </summary>
public sealed class CdiffProcess : IDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private bool disposed;

    public CdiffProcess(string name, string verb, IReadOnlyDictionary<string, string?> configuration, string logFile)
    {
        Name = name;
        var start = Self(verb);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        // Configuration keys as the hosts read them from the environment: Worker:ItemLease -> Worker__ItemLease.
        foreach (var (key, value) in configuration) start.Environment[key.Replace(":", "__")] = value;
        log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Pid { get; }

    /// <summary>Also true once disposed: a fault may still hold a process the supervisor has replaced.</summary>
    public bool HasExited
    {
        get
        {
            lock (process) return disposed || process.HasExited;
        }
    }

    /// <summary>Set before a fault kills it, so its end is not reported as a crash of its own.</summary>
    public bool KilledByFault { get; set; }

    public string ExitDescription
    {
        get
        {
            lock (process) return disposed ? "replaced" : process.HasExited ? $"exit code {process.ExitCode}" : "running";
        }
    }

    /// <summary>SIGKILL: no shutdown code runs; leases, deliveries and connections are left as a crash leaves them.</summary>
    public void Kill() => Send(Signals.Kill);

    /// <summary>SIGSTOP or SIGCONT, SIGKILL: to this process while it is ours (its pid is not reused by another yet).</summary>
    public void Send(int signal)
    {
        lock (process)
            if (!disposed && !process.HasExited) Signals.Send(Pid, signal);
    }

    /// <summary>This program again with <paramref name="verb"/>: the apphost, or `dotnet cdiff.dll` when run that way.</summary>
    private static ProcessStartInfo Self(string verb)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the program's own path is unknown");
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? new ProcessStartInfo(host, [Assembly.GetEntryAssembly()!.Location, verb])
            : new ProcessStartInfo(host, [verb]);
    }

    private void Write(string? line)
    {
        if (line is null) return;
        lock (log) log.WriteLine(line);
    }

    public void Dispose()
    {
        lock (process)
        {
            if (disposed) return;
            if (!process.HasExited) Signals.Send(Pid, Signals.Kill);
            process.WaitForExit();
            disposed = true;
            process.Dispose();
        }
        lock (log) log.Dispose();
    }
}
