namespace ContextDiffusion.Cli.Benchmarks;

/// <summary>The process's resident set size, read from /proc (includes native libtorch memory).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("VmRSS:")) continue;
            var kilobytes = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0]);
            return kilobytes * 1024;
        }
        throw new InvalidOperationException("/proc/self/status has no VmRSS line");
    }
}
