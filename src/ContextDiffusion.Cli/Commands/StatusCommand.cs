using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Cli.Submission;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff status BATCH`: the batch's state, counts and progress, then each failed item with its reason.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var batch = new Argument<Guid>("BATCH") { Description = "Batch id" };
        var server = new ServerOptions();
        var command = new Command("status", "Show a batch's state, counts and progress, and its failed items with their errors") { batch };
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("status", async () =>
        {
            using var client = server.CreateClient(parse);
            var status = await client.GetBatchAsync(parse.GetValue(batch), cancellation);
            Console.WriteLine(BatchText.Status(status));
            if (status.Failed == 0) return 0;
            await foreach (var item in client.GetAllItemsAsync(status.BatchId, "failed", cancellation))
                Console.WriteLine(BatchText.Failure(item));
            return 0;
        }));
        return command;
    }
}
