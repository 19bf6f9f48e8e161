using System.CommandLine;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Training;
using ContextDiffusion.Torch;
using Spectre.Console;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff train --data DIR --config tiny [--steps N | --minutes M] [--resume] --out MODEL_DIR`</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder with manifest.jsonl", Required = true };
        var config = new Option<string>("--config") { Description = $"Model config: {string.Join(", ", ModelPresets.Names)}", DefaultValueFactory = _ => "tiny" };
        var steps = new Option<long?>("--steps") { Description = "Stop after this many steps" };
        var minutes = new Option<double?>("--minutes") { Description = "Stop after this many minutes" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the checkpoint in --out" };
        var output = new Option<string>("--out") { Description = "Model directory to write (and resume from)", Required = true };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => 8 };
        var learningRate = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 1e-4 };
        var contextDiff = new Option<bool>("--context-diff") { Description = "Train with ContextDiff's shifted forward process" };
        var colourJitter = new Option<double?>("--colour-jitter")
        {
            Description = "Share of examples whose target and context get one shared colour cast (default: the config's)",
        };
        var contextCandidates = new Option<int?>("--context-candidates")
        {
            Description = "Random photos of the domain an example's context is chosen from, closest in colour first (default: the config's)",
        };
        var holdOut = new Option<double>("--hold-out") { Description = "Share of items kept out of training, for evaluation", DefaultValueFactory = _ => 0.1 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { DefaultValueFactory = _ => 200 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0 };
        var device = new Option<string>("--device") { Description = "cpu, cuda, cuda:N or best", DefaultValueFactory = _ => "best" };
        var command = new Command("train", "Train a model on a dataset folder, with checkpoints and exact resume")
        {
            data, config, steps, minutes, resume, output, batch, learningRate, contextDiff, colourJitter, contextCandidates, holdOut, checkpointEvery, seed, device,
        };
        command.SetAction(parse =>
        {
            var options = new TrainingOptions
            {
                BatchSize = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                Duration = parse.GetValue(minutes) is { } m ? TimeSpan.FromMinutes(m) : null,
                LearningRate = parse.GetValue(learningRate),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Seed = parse.GetValue(seed),
            };
            options.Validate();
            var directory = parse.GetValue(output)!;
            var shouldResume = parse.GetValue(resume) && ModelDirectory.Exists(directory);
            if (shouldResume && (parse.GetValue(contextDiff) || parse.GetValue(colourJitter) is not null || parse.GetValue(contextCandidates) is not null))
                AnsiConsole.MarkupLine("[yellow]resuming: the model's own config applies; --context-diff, --colour-jitter and --context-candidates are ignored[/]");
            Torch.Torch.ManualSeed(options.Seed);
            using var model = shouldResume
                ? ModelDirectory.Load(directory)
                : ModelDirectory.Create(Configure(ModelPresets.Get(parse.GetValue(config)!), parse.GetValue(contextDiff), parse.GetValue(colourJitter), parse.GetValue(contextCandidates)), directory);
            model.UseDevice(Device.Parse(parse.GetValue(device)!));
            var manifest = DatasetManifest.Load(parse.GetValue(data)!);
            using var dataset = ConsoleProgress.Run($"decoding {manifest.Items.Count} items", manifest.Items.Count, report =>
                TrainingDataset.Load(manifest, model.Config.Resolution, model.Config.ImageEncoder.ImageSize, parse.GetValue(holdOut), progress: report));

            AnsiConsole.MarkupLine($"training [bold]{model.Config.Name}[/] ({model.TrainableParameters().Sum(p => p.Tensor.NumElements):N0} trainable parameters) " +
                                   $"on {dataset.Count} items, {model.Device}, into {directory}");
            long reached = 0;
            double lastLoss = double.NaN;
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("training", maxValue: 1);
                    reached = new Trainer(model, dataset, options, directory).Run(shouldResume, new InlineProgress<TrainingProgress>(p =>
                    {
                        lastLoss = p.Loss;
                        var fraction = p.TotalSteps is { } total ? (double)p.Step / total : p.Elapsed / (p.Elapsed + (p.Remaining ?? TimeSpan.Zero));
                        task.Description = $"step {p.Step} loss {p.Loss:F4} {p.StepsPerSecond:F2} it/s";
                        task.Value = fraction;
                    }));
                    task.Value = 1;
                });
            Console.WriteLine($"train: steps={reached} loss={lastLoss:F4} model={Path.GetFullPath(directory)}");
            return 0;
        });
        return command;
    }

    private static ContextDiffusionConfig Configure(ContextDiffusionConfig preset, bool contextDiff, double? colourJitter, int? contextCandidates) =>
        preset with
        {
            ContextDiff = contextDiff,
            SharedColourJitter = colourJitter ?? preset.SharedColourJitter,
            ContextCandidates = contextCandidates ?? preset.ContextCandidates,
        };
}
