using System.Diagnostics;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// The run's own PostgreSQL, RabbitMQ and s3rver: deploy/local/services.sh with a folder, ports and node name
/// of their own, never the developer's or the tests' copy, since chaos kills them. Knows their process ids.
/// </summary>
public sealed class ChaosServices(string repositoryRoot, ChaosSettings settings)
{
    private readonly string directory = settings.ServicesDirectory;

    public string EnvFile => Path.Combine(directory, "env");

    /// <summary>Starts what is not running and waits until all three answer (what restarts a killed service).</summary>
    public Task UpAsync(CancellationToken cancellation) => RunScriptAsync("up", cancellation);

    public Task DownAsync() => RunScriptAsync("down", CancellationToken.None);

    /// <summary>The PostgreSQL server process (first line of postmaster.pid).</summary>
    public int PostmasterPid => ReadPid(Path.Combine(directory, "postgres", "postmaster.pid"));

    /// <summary>RabbitMQ's Erlang VM, beam.smp.</summary>
    public int RabbitMqPid => ReadPid(Path.Combine(directory, "rabbitmq", "rabbitmq.pid"));

    /// <summary>s3rver's node process.</summary>
    public int S3Pid => ReadPid(Path.Combine(directory, "run", "s3rver.pid"));

    /// <summary>The hosts' settings the script wrote (`export Name__Key='value'` lines), as configuration keys (Name:Key).</summary>
    public IReadOnlyDictionary<string, string?> Configuration()
    {
        var values = new Dictionary<string, string?>();
        foreach (var raw in File.ReadAllLines(EnvFile))
        {
            var line = raw.StartsWith("export ", StringComparison.Ordinal) ? raw["export ".Length..] : raw;
            var equals = line.IndexOf('=');
            if (line.StartsWith('#') || equals <= 0) continue;
            values[line[..equals].Replace("__", ":")] = line[(equals + 1)..].Trim('\'');
        }
        return values;
    }

    private static int ReadPid(string file) =>
        int.Parse(File.ReadLines(file).First().Trim());

    private async Task RunScriptAsync(string verb, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(repositoryRoot, RepositoryRoot.ServicesScript));
        start.ArgumentList.Add(verb);
        start.Environment["CDIFF_SERVICES_DIR"] = directory;
        start.Environment["CDIFF_PG_PORT"] = $"{settings.PortBase + 432}";
        start.Environment["CDIFF_RABBIT_PORT"] = $"{settings.PortBase + 672}";
        start.Environment["CDIFF_S3_PORT"] = $"{settings.PortBase + 569}";
        start.Environment["CDIFF_RABBIT_NODENAME"] = $"chaos{settings.PortBase}@localhost";
        // The derived RabbitMQ ports follow CDIFF_RABBIT_PORT only while the caller's shell does not set them.
        foreach (var derived in new[] { "CDIFF_RABBIT_MGMT_PORT", "CDIFF_RABBIT_DIST_PORT", "CDIFF_EPMD_PORT", "CDIFF_RABBIT_CTL_PORTS" })
            start.Environment.Remove(derived);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.WaitForExitAsync(cancellation);
        var text = await output + await errors;
        Directory.CreateDirectory(settings.LogDirectory);
        await File.AppendAllTextAsync(Path.Combine(settings.LogDirectory, "services.log"), $"--- services.sh {verb} at {DateTime.UtcNow:O}\n{text}", CancellationToken.None);
        if (process.ExitCode != 0) throw new InvalidOperationException($"services.sh {verb} failed ({process.ExitCode}): {text.Trim()}");
    }
}
