using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Cli.Submission;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Cli.Commands;

/// <summary>
/// `cdiff submit --data DIR [--limit N] [--model SPEC] [--steps 25] [--sampler dpm] [--guidance-context 3]
/// [--guidance-text 3] [--priority 0] [--contexts 2] [--held-out] [--wait] [--out DIR] [--name NAME]`:
/// a dataset folder becomes one batch through the API (images uploaded once, an idempotency key made from
/// the request so a re-run creates nothing twice); with --wait it follows the batch and downloads the outputs.
/// </summary>
public static class SubmitCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder with manifest.jsonl", Required = true };
        var limit = new Option<int?>("--limit") { Description = "Submit at most this many items (in manifest order)" };
        var model = new Option<string?>("--model") { Description = "Model version id, name (its promoted version) or name:vN; default: the promoted model" };
        var priority = new Option<int>("--priority") { Description = "0 (lowest) to 9", DefaultValueFactory = _ => 0 };
        var contexts = new Option<int>("--contexts") { Description = "Context photos per item, from the item's domain", DefaultValueFactory = _ => 2 };
        var heldOut = new Option<bool>("--held-out") { Description = "Only the items training held out (as cdiff eval picks them)" };
        var wait = new Option<bool>("--wait") { Description = "Follow the batch until done, then download its outputs" };
        var output = new Option<string?>("--out") { Description = "Where --wait saves the outputs (default .local/outputs/BATCH)" };
        var name = new Option<string?>("--name") { Description = "A name for the batch" };
        var sampling = new SamplingOptions();
        var server = new ServerOptions();
        var command = new Command("submit", "Submit a dataset folder as one generation batch; --wait follows it and downloads the outputs")
        {
            data, limit, model, priority, contexts, heldOut, wait, output, name,
        };
        sampling.AddTo(command);
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("submit", async () =>
        {
            var samplingParameters = sampling.ReadParameters(parse);
            var manifest = DatasetManifest.Load(parse.GetValue(data)!);
            var planned = SubmissionPlanner.Plan(manifest, parse.GetValue(limit), parse.GetValue(heldOut), parse.GetValue(contexts));
            using var client = server.CreateClient(parse);
            var files = planned.SelectMany(p => p.Context.Prepend(p.Query)).Distinct().ToList();
            var upload = await ImageUploader.UploadAsync(client, manifest.Root, files, cancellation);
            foreach (var (path, reason) in upload.Rejected) Console.Error.WriteLine($"submit: image {path} refused: {reason}");
            var items = planned.Where(p => p.Context.Prepend(p.Query).All(upload.References.ContainsKey)).Select(p => ToSubmitItem(p, upload.References)).ToList();
            if (items.Count < planned.Count) Console.Error.WriteLine($"submit: {planned.Count - items.Count} items left out because an image of theirs was refused");
            if (items.Count == 0) throw new InvalidDataException("no item is left to submit");

            var request = new SubmitBatchRequest
            {
                Name = parse.GetValue(name),
                Model = parse.GetValue(model),
                Priority = parse.GetValue(priority),
                Sampling = samplingParameters,
                Items = items,
            };
            request = request with { IdempotencyKey = IdempotencyKeys.For(request) };
            var submitted = await client.SubmitBatchAsync(request, cancellation);
            if (!submitted.Created) Console.Error.WriteLine($"submit: the same request was submitted before; nothing new was created (batch {submitted.BatchId})");
            Console.WriteLine($"submit: batch={submitted.BatchId} items={submitted.Items}");
            if (!parse.GetValue(wait))
            {
                // Items refused at submit are failed items of the batch; --wait lists them with the other failures.
                foreach (var refused in submitted.Rejected ?? []) Console.WriteLine($"failed: {refused.ExternalId ?? $"#{refused.Index}"} (at submit): {refused.Reason}");
                return 0;
            }

            var final = await BatchWaiter.WaitAsync(client, submitted.BatchId, cancellation);
            var directory = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(".local", "outputs", submitted.BatchId.ToString()));
            var outputs = await OutputDownloader.DownloadAsync(client, submitted.BatchId, final.Succeeded, directory, cancellation);
            foreach (var failed in outputs.Failed) Console.WriteLine(BatchText.Failure(failed));
            Console.WriteLine($"submit: batch={final.BatchId} succeeded={final.Succeeded} failed={final.Failed} canceled={final.Canceled} outputs={directory}");
            return 0;
        }));
        return command;
    }

    private static SubmitItem ToSubmitItem(PlannedItem item, IReadOnlyDictionary<string, ObjectReference> references) => new()
    {
        ExternalId = item.ExternalId,
        Query = references[item.Query],
        Context = item.Context.Select(c => new ContextImage(references[c])).ToList(),
        Prompt = item.Prompt,
    };
}
