using System.CommandLine;
using ContextDiffusion.Cli.Benchmarks;
using ContextDiffusion.Cli.Pipeline;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff bench pipeline --items 2000`: the whole path against the local services, and the same model calls
/// in-process. Prints `pipeline-bench: items=N items_per_s=T inprocess_items_per_s=U overhead_ms_per_item=O`.
/// </summary>
public static class BenchPipelineCommand
{
    public static Command Create()
    {
        var items = new Option<int>("--items") { Description = "Items in the timed batch", DefaultValueFactory = _ => 2000 };
        var microBatch = new Option<int>("--micro-batch") { Description = "Items per model pass on the worker", DefaultValueFactory = _ => 32 };
        var guidance = new Option<double>("--guidance-context")
        {
            Description = "Context guidance scale of the items: 1 (default) is one model pass per item, anything else two",
            DefaultValueFactory = _ => 1,
        };
        var warmUp = new Option<int>("--warm-up")
        {
            Description = "Items generated before the timed batch (and their passes in-process), until .NET's tiered JIT settles",
            DefaultValueFactory = _ => 2048,
        };
        warmUp.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--warm-up must be at least 1 item");
        });
        var data = new Option<string>("--data") { Description = "Dataset folder the images come from", DefaultValueFactory = _ => "../shared/data" };
        var command = new Command("pipeline", "Submit-to-events throughput of the pipeline (tiny model, 1 step) vs the same model calls in-process")
        {
            items, microBatch, guidance, warmUp, data,
        };
        command.SetAction(async (parse, _) =>
        {
            var benchmark = new PipelineBenchmark(PipelineEnvironment.Configuration(), parse.GetValue(data)!, parse.GetValue(microBatch), parse.GetValue(guidance),
                parse.GetValue(warmUp));
            var result = await benchmark.RunAsync(parse.GetValue(items));
            Console.WriteLine($"pipeline-bench: device lanes {result.Lanes}, libtorch threads per lane {Torch.Torch.NumThreads}");
            Console.WriteLine($"pipeline-bench: items={result.Items} items_per_s={result.PipelineItemsPerSecond:F1} " +
                              $"inprocess_items_per_s={result.InProcessItemsPerSecond:F1} overhead_ms_per_item={result.OverheadMsPerItem:F2}");
            return 0;
        });
        return command;
    }
}
