using System.CommandLine;
using ContextDiffusion.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff worker [--device cuda:0] [--name NAME] [--micro-batch N] [--no-train]`: a GPU worker, one process
/// per device. Every Worker:* setting can also come from environment variables (Worker__MicroBatchSize, ...).
/// </summary>
public static class WorkerCommand
{
    public static Command Create()
    {
        var device = new Option<string?>("--device") { Description = "cpu, cuda, cuda:N or best (Worker:Device)" };
        var name = new Option<string?>("--name") { Description = "Worker name in leases and events (Worker:Name), default host-pid" };
        var microBatch = new Option<int?>("--micro-batch") { Description = "Items per model pass (Worker:MicroBatchSize)" };
        var noTrain = new Option<bool>("--no-train") { Description = "Take generation work only" };
        var command = new Command("worker", "Run a worker that generates images and trains models from the queues") { device, name, microBatch, noTrain };
        command.SetAction(async (parse, cancellation) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(device) is { } d) settings["Worker:Device"] = d;
            if (parse.GetValue(name) is { } n) settings["Worker:Name"] = n;
            if (parse.GetValue(microBatch) is { } m) settings["Worker:MicroBatchSize"] = $"{m}";
            if (parse.GetValue(noTrain)) settings["Worker:Train"] = "false";
            using var host = WorkerHost.Build([], configuration => configuration.AddInMemoryCollection(settings));
            await host.RunAsync(cancellation);
            return 0;
        });
        return command;
    }
}
