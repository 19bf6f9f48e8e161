using ContextDiffusion.Worker;

namespace ContextDiffusion.Pipeline.Tests.Worker;

public sealed class DeviceThreadsTests
{
    private static readonly TimeSpan patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Two_lanes_run_two_passes_at_once()
    {
        using var threads = new DeviceThreads(2);
        // Each job waits for the other: they finish only if both run at the same time.
        using var both = new Barrier(2);
        var first = threads.RunAsync(() => both.SignalAndWait(patience), CancellationToken.None);
        var second = threads.RunAsync(() => both.SignalAndWait(patience), CancellationToken.None);
        var finished = await Task.WhenAll(first, second);
        Assert.All(finished, Assert.True);
    }

    [Fact]
    public async Task One_lane_runs_its_passes_one_after_another_in_order()
    {
        using var threads = new DeviceThreads(1);
        var running = 0;
        var order = new List<int>();
        var jobs = Enumerable.Range(0, 8).Select(i => threads.RunAsync(() =>
        {
            var overlapping = Interlocked.Increment(ref running);
            Thread.Sleep(5);
            order.Add(i);
            Interlocked.Decrement(ref running);
            return overlapping;
        }, CancellationToken.None)).ToList();
        Assert.All(await Task.WhenAll(jobs), overlapping => Assert.Equal(1, overlapping));
        Assert.Equal(Enumerable.Range(0, 8), order);
    }

    [Fact]
    public async Task A_failing_pass_fails_its_own_task_and_the_lane_goes_on()
    {
        using var threads = new DeviceThreads(1);
        var failed = threads.RunAsync<int>(() => throw new InvalidDataException("corrupt"), CancellationToken.None);
        Assert.Equal("corrupt", (await Assert.ThrowsAsync<InvalidDataException>(() => failed)).Message);
        Assert.Equal(7, await threads.RunAsync(() => 7, CancellationToken.None));
    }
}
