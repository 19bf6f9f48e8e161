using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>A broken invariant: how many items, objects or batches break it, and a few of them for a person to look up.</summary>
public sealed record Violation(string Name, int Count, IReadOnlyList<string> Examples);

/// <summary>
/// The counts of the result line, and every broken invariant (none: the run passed). <see cref="Retried"/>: items
/// not poisoned that needed more than one attempt; <see cref="HighestAttempt"/>: the most any of them needed.
/// </summary>
public sealed record ChaosVerdict(
    int Items, int Succeeded, int Failed, int Lost, int Stuck, int DuplicateOutputs, int OrphanObjects, int DuplicateEvents,
    int Retried, int HighestAttempt, IReadOnlyList<Violation> Violations)
{
    public bool Holds => Violations.Count == 0;
}

/// <summary>
/// What must hold after any mix of crashes, pauses and outages, once the work settled:
/// every accepted item has a row in one final state (Pending: lost; Running, or Pending with its attempts spent: stuck);
/// only the poison items fail, and they do, and no other item reaches its last attempt (faults cost an item at most
/// the attempts of the passes they cut short, never all of them); a succeeded item has exactly one output object, the one its row points
/// to, whose SHA-256 is the one recorded with the success; no object under a batch's output prefix lacks an item
/// pointing to it, and every completed batch was swept; a subscriber got at most one distinct ItemSucceeded event id
/// per item and exactly one BatchCompleted event id per batch, at least one ItemSucceeded per succeeded item, and
/// none for an item that did not succeed.
/// </summary>
public static class InvariantChecker
{
    private const int Examples = 3;

    public static ChaosVerdict Check(ChaosEvidence evidence)
    {
        var violations = new List<Violation>();
        int Report(string name, IEnumerable<string> cases)
        {
            var all = cases.ToList();
            if (all.Count > 0) violations.Add(new Violation(name, all.Count, all.Take(Examples).ToList()));
            return all.Count;
        }

        var items = evidence.Items;
        var rows = items.ToLookup(i => i.BatchId);
        var objects = evidence.Objects.ToDictionary(o => o.Key);
        var succeeded = items.Where(i => i.State == ItemState.Succeeded).ToList();

        var lost = Report("lost", evidence.Batches
            .SelectMany(b => Enumerable.Range(rows[b.Id].Count(), Math.Max(0, b.Accepted - rows[b.Id].Count()))
                .Select(n => $"batch {b.Id}: accepted item {n + 1} of {b.Accepted} has no row"))
            .Concat(items.Where(i => i.State == ItemState.Pending && i.Attempts < ItemLedger.MaxAttempts)
                .Select(i => $"item {i.Id} (batch {i.BatchId}) still pending after {i.Attempts} attempts"))
            .Concat(succeeded.Where(i => i.OutputKey is null || !objects.ContainsKey(i.OutputKey))
                .Select(i => $"item {i.Id} (batch {i.BatchId}) succeeded but its output {i.OutputKey ?? "(none recorded)"} is not in S3")));

        var stuck = Report("stuck", items.Where(i => i.State == ItemState.Running || (i.State == ItemState.Pending && i.Attempts >= ItemLedger.MaxAttempts))
            .Select(i => $"item {i.Id} (batch {i.BatchId}) {i.State.ToString().ToLowerInvariant()} with {i.Attempts} attempts"));

        Report("unexpected_failures", items.Where(i => i.State is ItemState.Failed or ItemState.Canceled && !i.Poison)
            .Select(i => $"item {i.Id} (batch {i.BatchId}) {i.State.ToString().ToLowerInvariant()} after {i.Attempts} attempts"));
        Report("poison_not_failed", items.Where(i => i.Poison && i.State is ItemState.Succeeded or ItemState.Canceled)
            .Select(i => $"poison item {i.Id} (batch {i.BatchId}) {i.State.ToString().ToLowerInvariant()}"));

        Report("last_attempt_reached", items.Where(i => !i.Poison && i.Attempts >= ItemLedger.MaxAttempts)
            .Select(i => $"item {i.Id} (batch {i.BatchId}) {i.State.ToString().ToLowerInvariant()} at attempt {i.Attempts} of {ItemLedger.MaxAttempts}"));

        // Claim-scoped keys (outputs/{batch}/{item}-{claim}.png) all start with the item's id.
        var perItem = evidence.Objects.ToLookup(o => Path.GetFileName(o.Key).Split('-', '.')[0]);
        var duplicateOutputs = Report("duplicate_outputs", succeeded
            .Select(i => (Item: i, Count: perItem[$"{i.Id:N}"].Count()))
            .Where(x => x.Count > 1)
            .Select(x => $"item {x.Item.Id} (batch {x.Item.BatchId}) has {x.Count} output objects"));
        Report("output_hash_mismatch", succeeded
            .Where(i => i.OutputKey is not null && objects.TryGetValue(i.OutputKey, out var stored) && stored.Sha256 != i.OutputSha256)
            .Select(i => $"item {i.Id}: {i.OutputKey} has SHA-256 {objects[i.OutputKey!].Sha256}, the row says {i.OutputSha256 ?? "(none)"}"));

        var pointedTo = items.Where(i => i.OutputKey is not null).Select(i => i.OutputKey!).ToHashSet();
        var orphans = Report("orphan_objects", evidence.Objects.Where(o => !pointedTo.Contains(o.Key)).Select(o => $"{o.Key} (batch {o.BatchId}): no item points to it"));
        Report("unswept_batches", evidence.Batches.Where(b => b.CompletedAt is not null && b.OutputsSweptAt is null)
            .Select(b => $"batch {b.Id} completed at {b.CompletedAt:O} but its outputs were never swept"));

        var successEvents = DistinctEventIds(evidence.Events, RecordedEvent.ItemSucceeded, e => e.ItemId!.Value);
        var completionEvents = DistinctEventIds(evidence.Events, RecordedEvent.BatchCompleted, e => e.BatchId);
        var duplicateEvents = Report("duplicate_events",
            successEvents.Where(e => e.Value > 1).Select(e => $"item {e.Key}: {e.Value} distinct ItemSucceeded event ids")
                .Concat(completionEvents.Where(e => e.Value > 1).Select(e => $"batch {e.Key}: {e.Value} distinct BatchCompleted event ids")));
        Report("missing_events",
            succeeded.Where(i => !successEvents.ContainsKey(i.Id)).Select(i => $"item {i.Id} (batch {i.BatchId}) succeeded but no ItemSucceeded arrived")
                .Concat(evidence.Batches.Where(b => b.CompletedAt is not null && !completionEvents.ContainsKey(b.Id))
                    .Select(b => $"batch {b.Id} completed but no BatchCompleted arrived")));
        var states = items.ToDictionary(i => i.Id, i => i.State);
        Report("events_contradict_state", successEvents.Keys.Where(id => states.GetValueOrDefault(id) != ItemState.Succeeded)
            .Select(id => $"item {id}: ItemSucceeded arrived but its row is {(states.TryGetValue(id, out var s) ? s.ToString().ToLowerInvariant() : "missing")}"));

        return new ChaosVerdict(evidence.Batches.Sum(b => b.Accepted), succeeded.Count, items.Count(i => i.State == ItemState.Failed),
            lost, stuck, duplicateOutputs, orphans, duplicateEvents,
            items.Count(i => !i.Poison && i.Attempts > 1), items.Where(i => !i.Poison).Select(i => i.Attempts).DefaultIfEmpty(0).Max(), violations);
    }

    private static Dictionary<Guid, int> DistinctEventIds(IEnumerable<RecordedEvent> events, string type, Func<RecordedEvent, Guid> key) =>
        events.Where(e => e.Type == type).GroupBy(key).ToDictionary(g => g.Key, g => g.Select(e => e.EventId).Distinct().Count());
}
