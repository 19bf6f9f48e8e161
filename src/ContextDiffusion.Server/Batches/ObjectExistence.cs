using ContextDiffusion.Contracts;
using ContextDiffusion.Pipeline.Storage;

namespace ContextDiffusion.Server.Batches;

/// <summary>
/// Checks that every object a batch references exists, so a typo is a 400 at submit rather than thousands
/// of failed items later. Each distinct object is asked once (HEAD), <see cref="Parallelism"/> at a time.
/// </summary>
public static class ObjectExistence
{
    public const int Parallelism = 16;

    /// <summary>One problem per missing object, named by the first field that references it.</summary>
    public static async Task<List<string>> FindMissingAsync(ObjectStore store, IEnumerable<(string Path, ObjectReference Reference)> uses, CancellationToken cancellation)
    {
        var byReference = new Dictionary<ObjectReference, (string FirstPath, int Uses)>();
        foreach (var (path, reference) in uses)
            byReference[reference] = byReference.TryGetValue(reference, out var seen) ? (seen.FirstPath, seen.Uses + 1) : (path, 1);
        var missing = new System.Collections.Concurrent.ConcurrentDictionary<ObjectReference, bool>();
        await Parallel.ForEachAsync(byReference.Keys, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation },
            async (reference, token) =>
            {
                if (await store.StatAsync(reference, token) is null) missing[reference] = true;
            });
        // In the order of first use, so the problems read top to bottom like the request.
        return byReference
            .Where(entry => missing.ContainsKey(entry.Key))
            .Select(entry => entry.Value.Uses > 1
                ? $"{entry.Value.FirstPath}: {entry.Key} does not exist (referenced {entry.Value.Uses} times)"
                : $"{entry.Value.FirstPath}: {entry.Key} does not exist")
            .ToList();
    }
}
