using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>How a run ends on the console: the one result line on stdout, and each broken invariant on stderr with a few examples.</summary>
public static class ChaosReport
{
    /// <summary>`faults=` is the sum of the kinds: the faults injected while the batches ran and the poison items.</summary>
    public static string Line(ChaosVerdict verdict, IReadOnlyDictionary<FaultKind, int> injected, int poison)
    {
        var kinds = Enum.GetValues<FaultKind>().Select(k => $"{FaultKinds.Name(k)}={injected.GetValueOrDefault(k)}").Append($"poison={poison}");
        return $"chaos: items={verdict.Items} succeeded={verdict.Succeeded} failed={verdict.Failed} lost={verdict.Lost} stuck={verdict.Stuck} " +
               $"duplicate_outputs={verdict.DuplicateOutputs} orphan_objects={verdict.OrphanObjects} duplicate_events={verdict.DuplicateEvents} " +
               $"faults={injected.Values.Sum() + poison} ({string.Join(' ', kinds)})";
    }

    /// <summary>What the faults cost in attempts: what each killed or paused worker held, and how many items needed another attempt.</summary>
    public static string AttemptsLine(ChaosVerdict verdict, IReadOnlyList<WorkerHolding> holdings) =>
        $"chaos: worker_faults={holdings.Count} held_max={holdings.Select(h => h.Held).DefaultIfEmpty(0).Max()} " +
        $"begun_max={holdings.Select(h => h.Begun).DefaultIfEmpty(0).Max()} retried_items={verdict.Retried} highest_attempt={verdict.HighestAttempt} " +
        $"(non-poison; an item fails after {ItemLedger.MaxAttempts})";

    public static IEnumerable<string> Violations(ChaosVerdict verdict) =>
        verdict.Violations.Select(v => $"chaos: invariant broken: {v.Name} ({v.Count}), e.g. {string.Join("; ", v.Examples)}");
}
