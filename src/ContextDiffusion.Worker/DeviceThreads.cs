using System.Collections.Concurrent;

namespace ContextDiffusion.Worker;

/// <summary>
/// The long-lived threads that run a worker's model passes, one pass per thread at a time, taken in the
/// order they were queued. A pass is hundreds of milliseconds of synchronous native work; on a thread-pool
/// thread it would hold one of the pool's few threads (two on a 2-core machine) and delay the continuations
/// of the storage and database round trips that are meant to overlap it. Fixed threads also keep libtorch's
/// per-thread state (its OpenMP team, its malloc arena with the last pass's pages) warm from pass to pass.
/// How many there are is <see cref="WorkerOptions.DeviceLanes"/>.
/// </summary>
public sealed class DeviceThreads : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread[] threads;

    public DeviceThreads(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        threads = [.. Enumerable.Range(0, count).Select(i => new Thread(Run) { IsBackground = true, Name = $"cdiff device {i}" })];
        // Without the creator's execution context: a DisposeScope (an AsyncLocal) open there must not become the lanes' own.
        foreach (var thread in threads) thread.UnsafeStart();
    }

    public int Count => threads.Length;

    /// <summary>Runs <paramref name="job"/> on the first device thread free, after the jobs queued before it have started.</summary>
    public Task<T> RunAsync<T>(Func<T> job, CancellationToken cancellation)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Add(() =>
        {
            if (cancellation.IsCancellationRequested)
            {
                done.TrySetCanceled(cancellation);
                return;
            }
            try
            {
                done.TrySetResult(job());
            }
            catch (OperationCanceledException e)
            {
                done.TrySetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        }, cancellation);
        return done.Task;
    }

    private void Run()
    {
        foreach (var job in work.GetConsumingEnumerable()) job();
    }

    public void Dispose()
    {
        work.CompleteAdding();
        foreach (var thread in threads) thread.Join();
        work.Dispose();
    }
}
