using System.Diagnostics;
using ContextDiffusion.Contracts.V1;
using Microsoft.Extensions.Options;

namespace ContextDiffusion.Worker;

/// <summary>
/// Real faults at chosen moments, for the fault-injection suite (`cdiff chaos`); inert unless configured.
/// A file <c>crash-at-{stage}</c> in <see cref="WorkerOptions.FaultDirectory"/> arms a crash: the first worker
/// to reach that stage takes the file (an atomic rename, so one crash per file) and kills itself with
/// SIGKILL, leaving its leases and unacknowledged messages exactly as a crash leaves them. Items whose prompt
/// contains <see cref="WorkerOptions.PoisonPrompt"/> break the model's pass, as an input that crashes a model would.
/// </summary>
public sealed class FaultInjection(IOptions<WorkerOptions> options)
{
    public void Reach(FaultStage stage)
    {
        if (options.Value.FaultDirectory is not { Length: > 0 } directory) return;
        var armed = Path.Combine(directory, $"crash-at-{stage.ToString().ToLowerInvariant()}");
        try
        {
            File.Move(armed, $"{armed}.taken-{Environment.ProcessId}");
        }
        catch (IOException)
        {
            return; // not armed, or another worker took it first
        }
        Process.GetCurrentProcess().Kill();
    }

    public void ThrowIfPoisoned(IEnumerable<GenerationItem> items)
    {
        if (options.Value.PoisonPrompt is not { Length: > 0 } marker) return;
        if (items.FirstOrDefault(i => i.Prompt.Contains(marker, StringComparison.Ordinal)) is { } poisoned)
            throw new InvalidOperationException($"injected fault: item {poisoned.ItemId} breaks the model's pass");
    }
}
