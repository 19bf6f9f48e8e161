using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Storage;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// Finds which of the objects a batch references do not exist, so a typo fails its items at submit rather
/// than on a worker later. Each distinct object is asked once (HEAD), <see cref="Parallelism"/> at a time.
/// </summary>
public static class ObjectExistence
{
    public const int Parallelism = 16;

    public static async Task<IReadOnlySet<ObjectReference>> FindMissingAsync(ObjectStore store, IEnumerable<ObjectReference> references, CancellationToken cancellation)
    {
        var missing = new System.Collections.Concurrent.ConcurrentDictionary<ObjectReference, bool>();
        await Parallel.ForEachAsync(references.Distinct(), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation },
            async (reference, token) =>
            {
                if (await store.StatAsync(reference, token) is null) missing[reference] = true;
            });
        return missing.Keys.ToHashSet();
    }
}
