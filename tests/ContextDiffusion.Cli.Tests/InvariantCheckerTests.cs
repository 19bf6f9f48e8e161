using ContextDiffusion.Cli.Chaos;
using ContextDiffusion.Pipeline.Data;

namespace ContextDiffusion.Cli.Tests;

/// <summary>The chaos suite's invariants over made-up evidence: a clean run passes, and each kind of damage is named and counted.</summary>
public sealed class InvariantCheckerTests
{
    private static readonly Guid Batch = Guid.NewGuid();
    private static readonly DateTimeOffset Done = DateTimeOffset.UtcNow;

    /// <summary>Three items, the last one poison: two succeeded with their outputs, the poison failed; every event once (one delivered twice).</summary>
    private static ChaosEvidence Clean()
    {
        var ok1 = Succeeded(Guid.NewGuid(), "aa");
        var ok2 = Succeeded(Guid.NewGuid(), "bb");
        var poison = new ItemRow(Guid.NewGuid(), Batch, ItemState.Failed, 3, null, null, Poison: true);
        var success1 = new RecordedEvent(RecordedEvent.ItemSucceeded, Guid.NewGuid(), Batch, ok1.Id);
        return new ChaosEvidence(
            [new BatchRow(Batch, 3, Done, Done)],
            [ok1, ok2, poison],
            [new StoredObject(Batch, ok1.OutputKey!, "aa"), new StoredObject(Batch, ok2.OutputKey!, "bb")],
            [success1, success1, new(RecordedEvent.ItemSucceeded, Guid.NewGuid(), Batch, ok2.Id), new(RecordedEvent.BatchCompleted, Guid.NewGuid(), Batch, null)]);
    }

    private static ItemRow Succeeded(Guid id, string sha) => new(id, Batch, ItemState.Succeeded, 1, $"outputs/{Batch:N}/{id:N}-1.png", sha, Poison: false);

    [Fact]
    public void A_clean_run_holds()
    {
        var verdict = InvariantChecker.Check(Clean());
        Assert.True(verdict.Holds, string.Join("; ", verdict.Violations.Select(v => v.Name)));
        Assert.Equal((3, 2, 1), (verdict.Items, verdict.Succeeded, verdict.Failed));
        Assert.Equal("chaos: items=3 succeeded=2 failed=1 lost=0 stuck=0 duplicate_outputs=0 orphan_objects=0 duplicate_events=0 faults=3 " +
                     "(worker_kill=2 worker_pause=0 server_kill=0 rabbitmq_kill=0 postgres_kill=0 s3_outage=0 poison=1)",
            ChaosReport.Line(verdict, new Dictionary<FaultKind, int> { [FaultKind.WorkerKill] = 2 }, 1));
    }

    [Fact]
    public void A_non_poison_item_at_its_last_attempt_breaks_the_run_even_when_it_succeeded()
    {
        var clean = Clean();
        var verdict = InvariantChecker.Check(clean with { Items = [clean.Items[0] with { Attempts = 3 }, clean.Items[1] with { Attempts = 2 }, clean.Items[2]] });
        Assert.Contains(verdict.Violations, v => v.Name == "last_attempt_reached" && v.Count == 1);
        Assert.Equal((2, 3), (verdict.Retried, verdict.HighestAttempt));
        Assert.Equal("chaos: worker_faults=1 held_max=12 begun_max=8 retried_items=2 highest_attempt=3 (non-poison; an item fails after 3)",
            ChaosReport.AttemptsLine(verdict, [new WorkerHolding("w", 12, 8)]));
    }

    [Fact]
    public void Missing_and_unfinished_items_are_lost_or_stuck()
    {
        var clean = Clean();
        var pending = clean.Items[1] with { State = ItemState.Pending, OutputKey = null };
        var running = clean.Items[0] with { State = ItemState.Running };
        var verdict = InvariantChecker.Check(clean with { Batches = [clean.Batches[0] with { Accepted = 4 }], Items = [running, pending, clean.Items[2]] });
        Assert.Equal(2, verdict.Lost); // the row that was never written and the pending item
        Assert.Equal(1, verdict.Stuck);
    }

    [Fact]
    public void A_second_object_of_an_item_is_a_duplicate_and_one_nobody_points_to_an_orphan()
    {
        var clean = Clean();
        var item = clean.Items[0];
        var verdict = InvariantChecker.Check(clean with
        {
            Objects = [.. clean.Objects, new StoredObject(Batch, $"outputs/{Batch:N}/{item.Id:N}-2.png", "cc"), new StoredObject(Batch, $"outputs/{Batch:N}/{Guid.NewGuid():N}-1.png", "dd")],
        });
        Assert.Equal(1, verdict.DuplicateOutputs);
        Assert.Equal(2, verdict.OrphanObjects);
    }

    [Fact]
    public void Two_event_ids_for_one_success_are_duplicates_and_a_missing_completion_is_named()
    {
        var clean = Clean();
        var verdict = InvariantChecker.Check(clean with
        {
            Events = [.. clean.Events.Where(e => e.Type != RecordedEvent.BatchCompleted), new(RecordedEvent.ItemSucceeded, Guid.NewGuid(), Batch, clean.Items[0].Id)],
        });
        Assert.Equal(1, verdict.DuplicateEvents);
        Assert.Contains(verdict.Violations, v => v.Name == "missing_events" && v.Count == 1);
    }

    [Fact]
    public void A_wrong_hash_a_surviving_poison_item_an_unexpected_failure_and_an_unswept_batch_break_the_run()
    {
        var clean = Clean();
        var verdict = InvariantChecker.Check(clean with
        {
            Batches = [clean.Batches[0] with { OutputsSweptAt = null }],
            Items = [clean.Items[0] with { OutputSha256 = "ff" }, clean.Items[1] with { State = ItemState.Failed, OutputKey = null }, clean.Items[2] with { State = ItemState.Succeeded }],
        });
        Assert.Equal(["output_hash_mismatch", "poison_not_failed", "unexpected_failures", "unswept_batches"],
            verdict.Violations.Select(v => v.Name).Where(n => n is "output_hash_mismatch" or "poison_not_failed" or "unexpected_failures" or "unswept_batches").Order());
    }
}
