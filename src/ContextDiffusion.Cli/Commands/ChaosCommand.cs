using System.CommandLine;
using System.Runtime.InteropServices;
using ContextDiffusion.Cli.Chaos;
using ContextDiffusion.Cli.Pipeline;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff chaos --items N --faults F [--seed S] ...`: the fault-injection suite (docs/reliability.md). Starts services,
/// servers and workers of its own, runs batches while it kills, pauses and cuts them off, checks the invariants and
/// prints one line: `chaos: items=N succeeded=S failed=F lost=L stuck=K duplicate_outputs=D orphan_objects=O
/// duplicate_events=E faults=T (worker_kill=.. ... poison=..)`. Exits 1 when an invariant is broken (named on stderr).
/// </summary>
public static class ChaosCommand
{
    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Items over all batches", DefaultValueFactory = _ => 1000 };
        var batches = new Option<int>("--batches") { Description = "Batches the items are split into (one poison item each)", DefaultValueFactory = _ => 5 };
        var faults = new Option<int>("--faults") { Description = "Faults injected while the batches run, cycling through the kinds", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fault moments, victims and poison positions", DefaultValueFactory = _ => 0 };
        var workers = new Option<int>("--workers") { Description = "cdiff worker processes (2 or 3)", DefaultValueFactory = _ => 3 };
        var servers = new Option<int>("--servers") { Description = "cdiff serve processes (1 or 2)", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Sampling steps per item (how long an item takes)", DefaultValueFactory = _ => 20 };
        var outages = new Option<string>("--s3-outages") { Description = "Lengths in seconds of the S3 outages, used in turn", DefaultValueFactory = _ => "5,30,120" };
        var ports = new Option<int>("--port-base") { Description = "Its services' ports: PostgreSQL +432, RabbitMQ +672..+685, S3 +569, servers +80..", DefaultValueFactory = _ => 56000 };
        var directory = new Option<string?>("--dir") { Description = "Its folder (services' data, logs), wiped at the start; default .local/chaos of the checkout" };
        var data = new Option<string?>("--data") { Description = "Dataset folder the images come from; default ../shared/data beside the checkout" };
        var deadline = new Option<int>("--deadline-minutes") { Description = "How long the batches may take before what is unfinished counts as lost or stuck", DefaultValueFactory = _ => 30 };
        var keep = new Option<bool>("--keep") { Description = "Leave its services running at the end" };
        var command = new Command("chaos", "Fault-injection suite: batches under worker, server, RabbitMQ, PostgreSQL and S3 faults, then the invariants")
        {
            items, batches, faults, seed, workers, servers, steps, outages, ports, directory, data, deadline, keep,
        };
        command.SetAction((parse, _) => CommandFailures.Guard("chaos", async () =>
        {
            var root = RepositoryRoot.Find();
            var settings = new ChaosSettings
            {
                Items = parse.GetValue(items),
                Batches = parse.GetValue(batches),
                Faults = parse.GetValue(faults),
                Seed = parse.GetValue(seed),
                Workers = parse.GetValue(workers),
                Servers = parse.GetValue(servers),
                Steps = parse.GetValue(steps),
                S3OutageSeconds = [.. parse.GetValue(outages)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)],
                PortBase = parse.GetValue(ports),
                Directory = Path.GetFullPath(parse.GetValue(directory) ?? Path.Combine(root, ".local", "chaos")),
                Data = Path.GetFullPath(parse.GetValue(data) ?? Path.Combine(root, "..", "shared", "data")),
                Deadline = TimeSpan.FromMinutes(parse.GetValue(deadline)),
                Keep = parse.GetValue(keep),
            };
            Validate(settings);
            // Ctrl+C and SIGTERM cancel the run, which then stops its processes and services (Program.cs leaves these signals to it).
            using var stop = new CancellationTokenSource();
            void Stop(PosixSignalContext signal)
            {
                signal.Cancel = true;
                stop.Cancel();
            }
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            return await new ChaosRun(settings).RunAsync(stop.Token);
        }));
        return command;
    }

    private static void Validate(ChaosSettings settings)
    {
        if (settings.Batches < 1 || settings.Items < settings.Batches) throw new ArgumentException("--items must be at least --batches, and --batches at least 1");
        if (settings.Workers is < 1 or > 8) throw new ArgumentException("--workers must be 1 to 8");
        if (settings.Servers is < 1 or > 4) throw new ArgumentException("--servers must be 1 to 4");
        if (settings.Faults < 0 || settings.Steps < 1) throw new ArgumentException("--faults must be 0 or more and --steps at least 1");
        if (settings.S3OutageSeconds.Count == 0 || settings.S3OutageSeconds.Any(s => s < 1)) throw new ArgumentException("--s3-outages needs lengths of 1 s or more");
        if (!File.Exists(Path.Combine(settings.Data, Model.Data.DatasetManifest.FileName))) throw new FileNotFoundException($"no dataset at {settings.Data} (--data)");
    }
}
