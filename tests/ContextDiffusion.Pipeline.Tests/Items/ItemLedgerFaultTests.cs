using System.Net;
using System.Net.Http.Json;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;
using ContextDiffusion.Contracts.V1;
using ContextDiffusion.Pipeline.Data;
using ContextDiffusion.Pipeline.Items;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Pipeline.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ContextDiffusion.Pipeline.Tests.Items;

/// <summary>
/// The item ledger under the races and stale claims that faults cause, driven directly (no worker runs in
/// this collection): recovery never undoes a claim, a claim that lost its lease changes nothing, only a pass
/// that began and did not end spends an attempt, a handed back item gets its attempt back, and a broken pass is retried until
/// its attempts are spent, then fails once, naming every pass.
/// </summary>
[Collection(PipelineCollection.Name)]
public sealed class ItemLedgerFaultTests(PipelineFixture fixture)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Recovery_racing_claims_never_undoes_a_claim()
    {
        var (batch, ids) = await SubmitAsync(40);
        Assert.Equal(40, (await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease))).Count);
        await ExpireLeasesAsync(batch);

        // Recovery and another worker's claims at once, over and over, on the same expired items.
        var recovering = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) await LedgerAsync(l => l.RecoverAsync());
        });
        var claiming = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) await LedgerAsync(l => l.ClaimAsync(ids, "worker-b", Lease));
        });
        await Task.WhenAll(recovering, claiming);

        // Whichever came first, worker b ends up holding every item through the second claim, and since no pass
        // began, no attempt is spent: no claim was overwritten.
        var rows = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).ToListAsync());
        Assert.All(rows, row => Assert.Equal((ItemState.Running, "worker-b", 2, 0), (row.State, row.LeaseOwner, row.Claims, row.Attempts)));
    }

    [Fact]
    public async Task A_claim_that_lost_its_lease_begins_and_records_nothing_and_a_handed_back_item_keeps_its_attempts()
    {
        var (batch, ids) = await SubmitAsync(1);
        var first = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
        await ExpireLeasesAsync(batch);
        var second = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
        Assert.Equal((1, 2), (first.Claim, second.Claim));

        // The same worker holds both claims (it was paused, and took the item again): only the current one counts.
        Assert.Empty(await LedgerAsync(l => l.BeginAsync([first], "worker-a", Lease)));
        Assert.Single(await LedgerAsync(l => l.BeginAsync([second], "worker-a", Lease)));
        var output = new ObjectReference(fixture.Store.Options.OutputsBucket, ObjectKeys.Output(batch, first.Id, first.Claim));
        var stale = await LedgerAsync(l => l.CompleteAsync([ItemOutcome.Succeeded(first, output, "00", 1)], "worker-a", fixture.ModelVersion.Id,
            new Dictionary<Guid, long> { [first.Id] = 0 }));
        Assert.Empty(stale);
        Assert.Equal(0, await LedgerAsync(l => l.RenewAsync([first], "worker-a", Lease)));
        Assert.Equal(1, await LedgerAsync(l => l.RenewAsync([second], "worker-a", Lease)));

        // The worker hands the item back while stopping: pending again, the attempt its pass took returned, and a new command queued.
        Assert.Equal(1, await LedgerAsync(l => l.ReleaseAsync([second], "worker-a")));
        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == first.Id));
        Assert.Equal((ItemState.Pending, 0, null), (row.State, row.Attempts, row.LeaseOwner));
        Assert.Contains(await CommandsForAsync(first.Id), m => m.Items.Any(i => i.ItemId == first.Id));
    }

    [Fact]
    public async Task A_claim_whose_lease_ran_out_before_its_pass_began_spends_no_attempt()
    {
        var (batch, ids) = await SubmitAsync(1);
        for (var crash = 0; crash < ItemLedger.MaxAttempts + 2; crash++)
        {
            Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
            await ExpireLeasesAsync(batch);
            Assert.Equal(1, await LedgerAsync(l => l.RecoverAsync()));
        }

        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == ids[0]));
        Assert.Equal((ItemState.Pending, 0, ItemLedger.MaxAttempts + 2), (row.State, row.Attempts, row.Claims));
        Assert.Empty(await OutboxAsync<ItemFailed>(m => m.ItemId == ids[0]));
        Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-b", Lease)));
    }

    [Fact]
    public async Task A_worker_lost_while_storing_an_output_costs_the_item_no_attempt()
    {
        var (batch, ids) = await SubmitAsync(1);
        var claim = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
        Assert.Single(await LedgerAsync(l => l.BeginAsync([claim], "worker-a", Lease)));
        await LedgerAsync(async l => { await l.EndPassAsync([claim], "worker-a"); return 0; });
        await ExpireLeasesAsync(batch);
        Assert.Equal(1, await LedgerAsync(l => l.RecoverAsync()));
        Assert.Empty(await OutboxAsync<ItemFailed>(m => m.ItemId == ids[0]));

        // The next claim's pass is its first attempt, and its success records it as such.
        var next = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-b", Lease)));
        Assert.Equal((1, 2), (next.Attempts, next.Claim));
        Assert.Single(await LedgerAsync(l => l.BeginAsync([next], "worker-b", Lease)));
        await LedgerAsync(async l => { await l.EndPassAsync([next], "worker-b"); return 0; });
        var output = new ObjectReference(fixture.Store.Options.OutputsBucket, ObjectKeys.Output(batch, next.Id, next.Claim));
        Assert.Single(await LedgerAsync(l => l.CompleteAsync([ItemOutcome.Succeeded(next, output, "00", 1)], "worker-b", fixture.ModelVersion.Id,
            new Dictionary<Guid, long> { [next.Id] = 0 })));
        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == ids[0]));
        Assert.Equal((ItemState.Succeeded, 1, output.Key), (row.State, row.Attempts, row.OutputKey));
    }

    [Fact]
    public async Task A_pass_running_when_the_database_restarted_is_not_charged()
    {
        var (batch, ids) = await SubmitAsync(1);
        var claim = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
        Assert.Single(await LedgerAsync(l => l.BeginAsync([claim], "worker-a", Lease)));
        // What a database restart in the middle of the pass leaves: a pass begun before the server's start.
        await fixture.WithDbAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE items SET pass_started_at = pg_postmaster_start_time() - interval '1 minute' WHERE id = {claim.Id}"));
        await ExpireLeasesAsync(batch);
        Assert.Equal(1, await LedgerAsync(l => l.RecoverAsync()));

        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == ids[0]));
        Assert.Equal((ItemState.Pending, 0, null), (row.State, row.Attempts, row.PassLog));
        Assert.Empty(await OutboxAsync<ItemFailed>(m => m.ItemId == ids[0]));
    }

    [Fact]
    public async Task Passes_cut_short_spend_attempts_and_the_last_failure_names_every_pass()
    {
        var (batch, ids) = await SubmitAsync(1);
        // A claim that never began comes first: it leaves no line in the pass log.
        Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-0", Lease)));
        await ExpireLeasesAsync(batch);
        Assert.Equal(1, await LedgerAsync(l => l.RecoverAsync()));
        for (var attempt = 1; attempt <= ItemLedger.MaxAttempts; attempt++)
        {
            var claim = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, $"worker-{attempt}", Lease)));
            Assert.Equal(attempt, claim.Attempts);
            Assert.Single(await LedgerAsync(l => l.BeginAsync([claim], $"worker-{attempt}", Lease)));
            await ExpireLeasesAsync(batch);
            // A pass cut short is recovery's to record: another worker's claim does not take it over.
            Assert.Empty(await LedgerAsync(l => l.ClaimAsync(ids, "worker-x", Lease)));
            Assert.Equal(1, await LedgerAsync(l => l.RecoverAsync()));
        }

        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == ids[0]));
        Assert.Equal((ItemState.Failed, ItemLedger.MaxAttempts), (row.State, row.Attempts));
        Assert.StartsWith($"none of its {ItemLedger.MaxAttempts} passes produced an output: attempt 1 on worker-1: its worker stopped", row.Error);
        for (var attempt = 2; attempt <= ItemLedger.MaxAttempts; attempt++) Assert.Contains($"; attempt {attempt} on worker-{attempt}: its worker stopped", row.Error);
        var failures = await OutboxAsync<ItemFailed>(m => m.ItemId == ids[0]);
        Assert.Equal(ItemLedger.MaxAttempts, failures.Count);
        Assert.Equal(row.Error, Assert.Single(failures, f => f.Final).Reason);
    }

    [Fact]
    public async Task A_broken_pass_is_retried_while_attempts_are_left_then_fails_once()
    {
        var (batch, ids) = await SubmitAsync(1);
        for (var attempt = 1; attempt <= ItemLedger.MaxAttempts; attempt++)
        {
            var claim = Assert.Single(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
            Assert.Equal(attempt, claim.Attempts);
            Assert.Single(await LedgerAsync(l => l.BeginAsync([claim], "worker-a", Lease)));
            Assert.Single(await LedgerAsync(l => l.CompleteAsync([ItemOutcome.Broke(claim, "the pass broke")], "worker-a", fixture.ModelVersion.Id,
                new Dictionary<Guid, long> { [claim.Id] = 0 })));
        }

        Assert.Empty(await LedgerAsync(l => l.ClaimAsync(ids, "worker-a", Lease)));
        var row = await fixture.WithDbAsync(db => db.Items.SingleAsync(i => i.Id == ids[0]));
        Assert.Equal((ItemState.Failed, ItemLedger.MaxAttempts), (row.State, row.Attempts));
        Assert.Contains($"attempt {ItemLedger.MaxAttempts} on worker-a: the pass broke", row.Error);
        var failures = await OutboxAsync<ItemFailed>(m => m.ItemId == ids[0]);
        Assert.Equal(ItemLedger.MaxAttempts, failures.Count);
        Assert.Single(failures, f => f.Final);
        Assert.Single(await OutboxAsync<BatchCompleted>(m => m.BatchId == batch));
    }

    private async Task<(Guid Batch, Guid[] Ids)> SubmitAsync(int count)
    {
        var item = await fixture.SampleItemAsync(contextCount: 1);
        var request = new SubmitBatchRequest { Items = Enumerable.Range(0, count).Select(i => item with { Seed = i }).ToList() };
        var batch = (await ApiAssert.JsonAsync<BatchSubmitted>(await fixture.Client.PostAsJsonAsync("/v1/batches", request), HttpStatusCode.Created)).BatchId;
        var ids = await fixture.WithDbAsync(db => db.Items.Where(i => i.BatchId == batch).Select(i => i.Id).ToArrayAsync());
        return (batch, ids);
    }

    private Task<T> LedgerAsync<T>(Func<ItemLedger, Task<T>> action) =>
        fixture.WithScopeAsync(services => action(services.GetRequiredService<ItemLedger>()));

    /// <summary>What a dead worker leaves: leases that ran out, by the database's clock.</summary>
    private Task<int> ExpireLeasesAsync(Guid batch) => fixture.WithDbAsync(db => db.Database.ExecuteSqlAsync(
        $"UPDATE items SET lease_expires_at = now() - interval '1 second' WHERE batch_id = {batch} AND state = 'Running'"));

    private Task<List<GenerateItems>> CommandsForAsync(Guid itemId) => OutboxAsync<GenerateItems>(m => m.Items.Any(i => i.ItemId == itemId));

    private async Task<List<T>> OutboxAsync<T>(Func<T, bool> filter)
    {
        var rows = await fixture.WithDbAsync(db => db.Outbox.Where(m => m.Type == typeof(T).FullName).ToListAsync());
        return rows.Select(r => System.Text.Json.JsonSerializer.Deserialize<T>(r.Payload, Messaging.ContractTypes.Json)!).Where(filter).ToList();
    }
}
