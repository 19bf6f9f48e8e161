using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Training;
using MassTransit;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker.Training;

/// <summary>
/// Takes a training run's lease and hands it to the <see cref="TrainingRunner"/>; the message is
/// acknowledged at once, whatever the run's length. A worker already training leaves the run pending:
/// recovery re-sends the command until a free worker takes it.
/// </summary>
public sealed class TrainModelConsumer(TrainingLedger ledger, TrainingRunner runner, IOptions<WorkerOptions> options) : IConsumer<TrainModel>
{
    public async Task Consume(ConsumeContext<TrainModel> context)
    {
        if (runner.Busy) return;
        var run = await ledger.ClaimAsync(context.Message.RunId, options.Value.Name, options.Value.TrainingLease, context.CancellationToken);
        if (run is not null) runner.Start(run);
    }
}
