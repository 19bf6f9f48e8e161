namespace ContextDiffusion.Model.Training;

/// <summary>An IProgress that reports on the calling thread at once (Progress&lt;T&gt; posts to a sync context or the thread pool, out of order).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
