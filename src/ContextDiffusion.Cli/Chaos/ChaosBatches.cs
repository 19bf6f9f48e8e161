using ContextDiffusion.Contracts;
using ContextDiffusion.Contracts.Http;

namespace ContextDiffusion.Cli.Chaos;

/// <summary>
/// The run's batches: the items split evenly, query maps and context photos taken in turn, and one poison item per
/// batch at a seeded position. Each batch has its own idempotency key, sent again on every retry of its submit.
/// </summary>
public static class ChaosBatches
{
    public static IReadOnlyList<SubmitBatchRequest> Plan(ChaosSettings settings, IReadOnlyList<ObjectReference> queries, IReadOnlyList<ObjectReference> photos,
        string runId, Random random)
    {
        var batches = new List<SubmitBatchRequest>();
        var first = 0;
        for (var b = 0; b < settings.Batches; b++)
        {
            var count = settings.Items / settings.Batches + (b < settings.Items % settings.Batches ? 1 : 0);
            var poison = random.Next(count);
            var start = first;
            batches.Add(new SubmitBatchRequest
            {
                Name = $"chaos-{b}",
                IdempotencyKey = $"chaos-{runId}-{b}",
                Model = ChaosSettings.ModelName,
                // One model pass per step (no guidance passes): the steps alone set how long an item takes.
                Sampling = new SamplingParameters { Steps = settings.Steps, Sampler = "ddim", ContextGuidance = 1, TextGuidance = 1 },
                Items = [.. Enumerable.Range(start, count).Select(n => new SubmitItem
                {
                    ExternalId = $"{b}-{n - start}",
                    Query = queries[n % queries.Count],
                    Context = [new ContextImage(photos[(n + 1) % photos.Count])],
                    Prompt = n - start == poison ? $"an item with {ChaosSettings.PoisonMarker} in its prompt" : "",
                    Seed = n,
                })],
            });
            first += count;
        }
        return batches;
    }
}
