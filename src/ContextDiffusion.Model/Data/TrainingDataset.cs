using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// Training examples from a manifest folder, as the paper builds them: query = an item's structure map,
/// target = its photo, context = 1..maxContext other photos of the same domain (the closest in mean colour
/// to the target among a number of random ones, see <see cref="ContextDiffusionConfig.ContextCandidates"/>), prompt = the domain's
/// template. Items are decoded once into memory; each batch takes random items with a random crop and
/// flip shared by query and target. Held-out items (see <see cref="HoldOutSplit"/>) are never used.
/// </summary>
public sealed class TrainingDataset : IDisposable
{
    private readonly List<PreparedItem> items;
    private readonly Dictionary<string, List<PreparedItem>> byDomain;

    private TrainingDataset(List<PreparedItem> items, int resolution)
    {
        this.items = items;
        Resolution = resolution;
        byDomain = items.GroupBy(i => i.Item.Domain).ToDictionary(g => g.Key, g => g.ToList());
        var lonely = byDomain.Where(d => d.Value.Count < 2).Select(d => d.Key).ToList();
        if (lonely.Count > 0) throw new InvalidDataException($"domains need at least 2 items to give context: {string.Join(", ", lonely)}");
    }

    public int Resolution { get; }
    public int Count => items.Count;

    /// <summary>Decodes the training items of <paramref name="manifest"/>: those not held out at <paramref name="holdOutShare"/>.</summary>
    public static TrainingDataset Load(DatasetManifest manifest, int resolution, int contextSize, double holdOutShare, int? limit = null,
        IProgress<int>? progress = null)
    {
        var selected = manifest.Items.Where(i => !HoldOutSplit.IsHeldOut(i.Id, holdOutShare)).Take(limit ?? int.MaxValue).ToList();
        var decoder = new ImageDecoder();
        var prepared = new PreparedItem[selected.Count];
        var done = 0;
        Parallel.For(0, selected.Count, i =>
        {
            prepared[i] = PreparedItem.Load(manifest, selected[i], decoder, resolution, contextSize);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return new TrainingDataset([.. prepared], resolution);
    }

    /// <summary>
    /// A random batch with <paramref name="contextCount"/> context photos per example: those closest in mean colour to
    /// the target's whole photo (as its context square) among <paramref name="candidates"/> (at least
    /// <paramref name="contextCount"/>) random others of its domain.
    /// </summary>
    public TrainingBatch Sample(int batchSize, int contextCount, Random random, int candidates = 1)
    {
        var queries = new List<Image>();
        var targets = new List<Image>();
        var contexts = new List<Image>();
        var prompts = new string[batchSize];
        var ids = new string[batchSize];
        try
        {
            for (var b = 0; b < batchSize; b++)
            {
                var item = items[random.Next(items.Count)];
                var (query, target) = CropPair(item, random);
                queries.Add(query);
                targets.Add(target);
                // Distinct first: in a domain too small for the candidates, repeats of the closest photo would fill the context.
                var ranked = OthersOfDomain(item, Math.Max(candidates, contextCount), random).Distinct().OrderBy(o => ImageMetrics.ColourDistance(o.MeanColour, item.MeanColour)).ToList();
                for (var c = 0; c < contextCount; c++) contexts.Add(ranked[c % ranked.Count].Context.Share());
                prompts[b] = PromptTemplates.For(item.Item.Domain);
                ids[b] = item.Item.Id;
            }
            using var scope = DisposeScope.Enter();
            var context = ImageTensors.ToTensor(contexts);
            var size = context.Shape;
            var batch = new TrainingBatch(
                ImageTensors.ToTensor(queries), ImageTensors.ToTensor(targets),
                context.Reshape(batchSize, contextCount, size[1], size[2], size[3]), prompts, ids);
            scope.Detach(batch.Query);
            scope.Detach(batch.Target);
            scope.Detach(batch.Context);
            return batch;
        }
        finally
        {
            foreach (var image in queries.Concat(targets).Concat(contexts)) image.Dispose();
        }
    }

    private (Image Query, Image Target) CropPair(PreparedItem item, Random random)
    {
        int left = random.Next(item.Photo.Width - Resolution + 1), top = random.Next(item.Photo.Height - Resolution + 1);
        var query = item.Query.Crop(left, top, Resolution, Resolution);
        var target = item.Photo.Crop(left, top, Resolution, Resolution);
        if (random.Next(2) == 0) return (query, target);
        using (query)
        using (target)
            return (query.FlipHorizontal(), target.FlipHorizontal());
    }

    /// <summary>Distinct other items of the same domain (with repeats only when the domain is too small).</summary>
    private IEnumerable<PreparedItem> OthersOfDomain(PreparedItem item, int count, Random random)
    {
        var pool = byDomain[item.Item.Domain];
        var chosen = new HashSet<int>();
        for (var n = 0; n < count; n++)
        {
            int index;
            do index = random.Next(pool.Count);
            while (pool[index] == item || (chosen.Count < pool.Count - 1 && !chosen.Add(index)));
            yield return pool[index];
        }
    }

    public void Dispose()
    {
        foreach (var item in items) item.Dispose();
    }
}
