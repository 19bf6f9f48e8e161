using System.Collections.Concurrent;

namespace ContextDiffusion.Worker;

/// <summary>
/// One long-lived thread that runs all of a worker's model passes, one at a time. A pass is hundreds of
/// milliseconds of synchronous native work; on a thread-pool thread it would hold one of the pool's few
/// threads (two on a 2-core machine) and delay the continuations of the storage and database round trips
/// that are meant to overlap it. A fixed thread also keeps libtorch's per-thread state (its OpenMP team, its
/// malloc arena with the last pass's pages) warm from one pass to the next.
/// </summary>
public sealed class DeviceThread : IDisposable
{
    private readonly BlockingCollection<Action> work = new();
    private readonly Thread thread;

    public DeviceThread()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "cdiff device" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="job"/> on the device thread after the jobs queued before it.</summary>
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
        thread.Join();
        work.Dispose();
    }
}
