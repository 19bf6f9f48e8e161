using System.Diagnostics;
using System.Text.RegularExpressions;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Tests.Infrastructure;

namespace ContextDiffusion.Pipeline.Tests.Chaos;

/// <summary>
/// `cdiff chaos` at a small size: 200 items in two batches under one fault of each kind (a 5 s S3 outage) and a poison
/// item per batch. It starts services of its own (ports 57000 and up, a temporary folder), so it never touches the
/// shared ones the other tests use, and its result lines must show that nothing was lost, stuck or duplicated, and that no fault cost an item its last attempt.
/// In the worker tests' collection: its three workers would otherwise compete with theirs for the same cores.
/// </summary>
[Collection(WorkerCollection.Name)]
public sealed class ChaosSuiteTests
{
    /// <summary>Far beyond the few minutes a run takes on an idle 2-core machine; the run's own deadline is 15 minutes.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(25);

    [Fact]
    public async Task A_small_chaos_run_keeps_every_invariant()
    {
        var directory = Path.Combine(Path.GetTempPath(), "cdiff-tests", "chaos-" + Guid.NewGuid().ToString("N")[..12]);
        var start = new ProcessStartInfo("dotnet",
        [
            WorkerProcess.CliPath, "chaos", "--items", "200", "--batches", "2", "--faults", "6", "--s3-outages", "5", "--steps", "20",
            "--workers", "3", "--servers", "2", "--seed", "1", "--port-base", "57000", "--dir", directory, "--data", RepositoryPaths.SharedData,
            "--deadline-minutes", "15",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var progress = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // SIGINT, as Ctrl+C: the run stops its processes and services before it exits.
                Process.Start("kill", ["-INT", $"{process.Id}"])!.WaitForExit();
                await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
                Assert.Fail($"cdiff chaos did not end within {Patience}:\n{await progress}");
            }
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }

        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 0 && lines.Length == 2, $"exit code {process.ExitCode}, stdout:\n{await output}\nstderr:\n{await progress}");
        var values = lines.SelectMany(line => Regex.Matches(line, @"(\w+)=(\d+)")).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
        Assert.Equal(200, values["items"]);
        foreach (var broken in new[] { "lost", "stuck", "duplicate_outputs", "orphan_objects", "duplicate_events" }) Assert.Equal(0, values[broken]);
        Assert.Equal(2, values["poison"]);
        Assert.Equal(values["poison"], values["failed"]);
        Assert.Equal(200 - values["poison"], values["succeeded"]);
        foreach (var kind in new[] { "worker_kill", "worker_pause", "server_kill", "rabbitmq_kill", "postgres_kill", "s3_outage" }) Assert.Equal(1, values[kind]);
        // No fault costs an item its last attempt.
        Assert.True(values["highest_attempt"] < ItemLedger.MaxAttempts, lines[1]);
    }
}
