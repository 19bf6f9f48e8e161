using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Contracts.Http;
using Spectre.Console;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff train-remote --model NAME --dataset s3://bucket/prefix [--steps N | --minutes M] [--preset tiny]
/// [--wait]`: starts a training run on the workers (POST /v1/training-runs); with --wait it follows the run's
/// step and loss until it ends, and exits non-zero when the run failed or was canceled.
/// </summary>
public static class TrainRemoteCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model name; the run registers its next version", Required = true };
        var dataset = new Option<string>("--dataset") { Description = "s3://bucket/prefix holding manifest.jsonl and its files (see cdiff datasets upload)", Required = true };
        var steps = new Option<long?>("--steps") { Description = "Stop after this many steps" };
        var minutes = new Option<double?>("--minutes") { Description = "Stop after this many minutes" };
        var preset = new Option<string>("--preset") { Description = "Model config of a run from scratch: tiny, small or sd15", DefaultValueFactory = _ => "tiny" };
        var promote = new Option<bool>("--promote") { Description = "Promote the new version when the run succeeds" };
        var wait = new Option<bool>("--wait") { Description = "Follow the run's progress until it ends" };
        var server = new ServerOptions();
        var command = new Command("train-remote", "Start a training run on the pipeline's workers; --wait follows it") { model, dataset, steps, minutes, preset, promote, wait };
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("train-remote", async () =>
        {
            using var client = server.CreateClient(parse);
            var run = await client.StartTrainingAsync(new StartTrainingRequest
            {
                Model = parse.GetValue(model)!,
                Dataset = S3Uris.Parse(parse.GetValue(dataset)!),
                Steps = parse.GetValue(steps),
                Minutes = parse.GetValue(minutes),
                Preset = parse.GetValue(preset)!,
                Promote = parse.GetValue(promote),
            }, cancellation);
            Console.WriteLine($"train-remote: run={run.RunId} model={run.Model} state={run.State.ToLowerInvariant()}");
            if (!parse.GetValue(wait)) return 0;

            run = await FollowAsync(client, run, cancellation);
            Console.WriteLine($"train-remote: run={run.RunId} state={run.State.ToLowerInvariant()} steps={run.Step} loss={run.Loss?.ToString("F4") ?? "-"} " +
                              $"version={run.ModelVersionId?.ToString() ?? "-"}" + (run.Error is { } error ? $" error={error}" : ""));
            return run.State.Equals("succeeded", StringComparison.OrdinalIgnoreCase) ? 0 : 1;
        }));
        return command;
    }

    private static async Task<TrainingRunStatus> FollowAsync(PipelineClient client, TrainingRunStatus run, CancellationToken cancellation)
    {
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(run), maxValue: 1);
                while (!IsFinal(run))
                {
                    await Task.Delay(Poll, cancellation);
                    run = await client.GetTrainingRunAsync(run.RunId, cancellation);
                    task.Description = Describe(run);
                    task.Value = Fraction(run);
                }
                task.Value = 1;
            });
        return run;
    }

    private static bool IsFinal(TrainingRunStatus run) => run.State.ToLowerInvariant() is "succeeded" or "failed" or "canceled";

    private static string Describe(TrainingRunStatus run) =>
        $"{run.State.ToLowerInvariant()} step {run.Step}{(run.TotalSteps is { } total ? $"/{total}" : "")}" +
        (run.Loss is { } loss ? $" loss {loss:F4}" : "") + (run.StepsPerSecond is { } speed ? $" {speed:F2} it/s" : "") + (run.Worker is { } worker ? $" on {worker}" : "");

    /// <summary>Steps over the total for a step-bounded run, else time run over time run plus the time the worker says is left.</summary>
    private static double Fraction(TrainingRunStatus run)
    {
        if (run.TotalSteps is > 0 and var total) return Math.Min(1, (double)run.Step / total);
        if (run.StartedAt is not { } started || run.RemainingSeconds is not { } remaining) return 0;
        var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;
        return elapsed + remaining > 0 ? Math.Clamp(elapsed / (elapsed + remaining), 0, 1) : 0;
    }
}
