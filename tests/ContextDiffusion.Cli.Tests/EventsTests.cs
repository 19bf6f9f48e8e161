using ContextDiffusion.Cli.Events;
using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.V1;

namespace ContextDiffusion.Cli.Tests;

public sealed class EventsTests
{
    [Fact]
    public void Recent_ids_drop_repeats_within_the_window_and_forget_the_oldest()
    {
        var recent = new RecentIds(capacity: 2);
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        Assert.True(recent.TryAdd(a));
        Assert.False(recent.TryAdd(a));
        Assert.True(recent.TryAdd(b));
        Assert.True(recent.TryAdd(c));
        Assert.False(recent.TryAdd(c));
        // a fell out of the window of two.
        Assert.True(recent.TryAdd(a));
    }

    [Fact]
    public void Item_events_carry_their_batch_and_key_fields()
    {
        var batch = Guid.NewGuid();
        var item = Guid.NewGuid();
        var succeeded = EventLine.Of(new ItemSucceeded(Guid.NewGuid(), batch, item, new ObjectReference("cdiff-outputs", "outputs/x.png"),
            Guid.NewGuid(), 7, 1, "worker-1", 0.25, DateTimeOffset.UnixEpoch));
        Assert.Equal(batch, succeeded.BatchId);
        Assert.Contains($"item-succeeded batch={batch} item={item} output=s3://cdiff-outputs/outputs/x.png", succeeded.Text);

        var failed = EventLine.Of(new ItemFailed(Guid.NewGuid(), batch, item, "query image missing", 3, true, DateTimeOffset.UnixEpoch));
        Assert.Contains("item-failed", failed.Text);
        Assert.Contains("final=true reason=query image missing", failed.Text);
    }

    [Fact]
    public void Training_events_have_no_batch()
    {
        var line = EventLine.Of(new TrainingProgressed(Guid.NewGuid(), Guid.NewGuid(), 50, 100, 0.1234, 2.5, TimeSpan.FromSeconds(20), DateTimeOffset.UnixEpoch));
        Assert.Null(line.BatchId);
        Assert.Contains("step=50/100 loss=0.1234", line.Text);
    }
}
