using System.CommandLine;
using System.Diagnostics;
using ContextDiffusion.Cli.Pipeline;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff services up|down|status`: the local PostgreSQL, RabbitMQ and s3rver, through the same script CI
/// and `make` run (deploy/local/services.sh), so there is one way to start them. Its output and exit code pass through.
/// </summary>
public static class ServicesCommand
{
    public static Command Create()
    {
        var verb = new Argument<string>("VERB") { Description = "up, down or status" };
        verb.AcceptOnlyFromAmong("up", "down", "status");
        var command = new Command("services", "Start, stop or show the local PostgreSQL, RabbitMQ and s3rver (deploy/local/services.sh)") { verb };
        command.SetAction((parse, cancellation) => CommandFailures.Guard("services", async () =>
        {
            var root = RepositoryRoot.Find();
            var start = new ProcessStartInfo("bash") { WorkingDirectory = root };
            start.ArgumentList.Add(Path.Combine(root, RepositoryRoot.ServicesScript));
            start.ArgumentList.Add(parse.GetValue(verb)!);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
            await process.WaitForExitAsync(cancellation);
            if (process.ExitCode == 0 && parse.GetValue(verb) == "up")
                Console.Error.WriteLine($"services: for the pipeline commands: source {Path.Combine(root, ".local", "services", "env")}");
            return process.ExitCode;
        }));
        return command;
    }
}
