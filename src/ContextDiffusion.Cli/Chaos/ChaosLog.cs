using System.Diagnostics;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>Progress lines on stderr, stamped with the time since the run started; stdout carries only the result line.</summary>
public static class ChaosLog
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Write(string message) => Console.Error.WriteLine($"chaos [{Clock.Elapsed:mm\\:ss}] {message}");
}
