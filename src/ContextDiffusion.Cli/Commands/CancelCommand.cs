using System.CommandLine;
using ContextDiffusion.Cli.Pipeline;
using ContextDiffusion.Cli.Submission;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff cancel BATCH`: cancels the batch's pending and running items, then prints the batch as the server left it.</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var batch = new Argument<Guid>("BATCH") { Description = "Batch id" };
        var server = new ServerOptions();
        var command = new Command("cancel", "Cancel a batch: items not yet final are canceled (workers stop between micro-batches)") { batch };
        server.AddTo(command);
        command.SetAction((parse, cancellation) => CommandFailures.Guard("cancel", async () =>
        {
            using var client = server.CreateClient(parse);
            Console.WriteLine("cancel: " + BatchText.Status(await client.CancelBatchAsync(parse.GetValue(batch), cancellation)));
            return 0;
        }));
        return command;
    }
}
