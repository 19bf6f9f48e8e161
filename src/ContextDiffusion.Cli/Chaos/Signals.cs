using System.Runtime.InteropServices;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// POSIX signals to processes by id: .NET can only SIGKILL its own children, and chaos also stops and resumes
/// processes (SIGSTOP, SIGCONT) and kills services that other programs started (PostgreSQL, RabbitMQ, s3rver).
/// </summary>
public static partial class Signals
{
    public const int Kill = 9;
    public const int Continue = 18;
    public const int Stop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/>; false when the process no longer exists.</summary>
    public static bool Send(int pid, int signal) => SendSignal(pid, signal) == 0;

    public static bool IsAlive(int pid) => SendSignal(pid, 0) == 0;

    /// <summary>The processes whose parent is <paramref name="pid"/> (from /proc), e.g. a postmaster's backends.</summary>
    public static IReadOnlyList<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var candidate)) continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so parse after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1]) == pid) children.Add(candidate);
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return children;
    }
}
