using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// Evaluates a model on the held-out items of a dataset folder. Each item's query map is generated with
/// context photos of its own domain (and its domain's prompt) and compared with its true photo; the copy
/// and mean baselines are scored on the same items. For context sensitivity each query is generated
/// again without a prompt, once with its own domain's context and once with another domain's, and the
/// output's mean colour must follow the context it was given.
/// </summary>
public sealed class Evaluator(ContextDiffusionModel model, EvaluationOptions options)
{
    private readonly ImageGenerator generator = new(model);
    private readonly ImageDecoder decoder = new();

    private sealed record Case(ManifestItem Item, IReadOnlyList<ManifestItem> OwnContext, IReadOnlyList<ManifestItem> OtherContext, ulong Seed);

    /// <summary>Runs the evaluation; <paramref name="grid"/> receives the grid image (query | contexts | output | truth).</summary>
    public EvaluationReport Run(DatasetManifest manifest, Action<Image>? grid = null, IProgress<int>? progress = null)
    {
        var cases = Cases(manifest);
        if (cases.Count == 0) throw new InvalidOperationException($"no held-out items in {manifest.Root} at share {options.HoldOutShare}");
        var sums = new double[7];
        var trials = new List<ContextSensitivityTrial>();
        var gridRows = new List<GridRow>();
        using var fid = FidCalculator.TryCreate(options.InceptionCheckpoint, model.Device, out var fidUnavailable);
        var generatedFeatures = new List<Tensor>();
        var realFeatures = new List<Tensor>();
        try
        {
            foreach (var chunk in cases.Chunk(options.BatchSize))
            {
                using var scope = DisposeScope.Enter();
                var resolution = model.Config.Resolution;
                var query = Load(chunk.Select(c => c.Item.QueryMap), resolution, ResizeKernel.Nearest, manifest);
                var truth = Load(chunk.Select(c => c.Item.Image), resolution, ResizeKernel.Lanczos3, manifest);
                var own = Contexts(chunk.Select(c => c.OwnContext), manifest);
                var other = Contexts(chunk.Select(c => c.OtherContext), manifest);
                var seeds = chunk.Select(c => c.Seed).ToList();
                var prompts = chunk.Select(c => PromptTemplates.For(c.Item.Domain)).ToList();
                var noPrompts = chunk.Select(_ => "").ToList();

                var output = generator.Generate(new GenerationBatch(query, own, null, prompts, seeds), options.Generation);
                var withOwn = generator.Generate(new GenerationBatch(query, own, null, noPrompts, seeds), options.Generation);
                var withOther = generator.Generate(new GenerationBatch(query, other, null, noPrompts, seeds), options.Generation);
                Score(output, truth, own, sums);
                for (var i = 0; i < chunk.Length; i++)
                    trials.Add(new ContextSensitivityTrial(
                        ImageMetrics.MeanColour(own.Select(0, i)), ImageMetrics.MeanColour(withOwn.Narrow(0, i, 1)),
                        ImageMetrics.MeanColour(other.Select(0, i)), ImageMetrics.MeanColour(withOther.Narrow(0, i, 1))));
                if (fid is not null)
                {
                    generatedFeatures.Add(scope.MoveToOuter(fid.Features(output)));
                    realFeatures.Add(scope.MoveToOuter(fid.Features(truth)));
                }
                var gridCount = Math.Min(options.GridItems - gridRows.Count, chunk.Length);
                if (gridCount > 0) gridRows.AddRange(GridRows(query, own, output, truth, gridCount));
                progress?.Report(trials.Count);
            }
            if (grid is not null && gridRows.Count > 0)
            {
                using var image = ImageGrid.Compose(gridRows, new GridOptions { CellSize = Math.Max(model.Config.Resolution, 96) });
                grid(image);
            }
            double? fidValue = null;
            if (fid is not null)
            {
                using var generated = Tensor.Cat([.. generatedFeatures], 0);
                using var real = Tensor.Cat([.. realFeatures], 0);
                fidValue = FidCalculator.Distance(generated, real);
            }
            var n = (double)trials.Count;
            return new EvaluationReport(trials.Count, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, sums[4] / n, sums[5] / n, sums[6] / n,
                ContextSensitivity.Share(trials), fidValue, fid is null ? fidUnavailable : null);
        }
        finally
        {
            foreach (var t in generatedFeatures.Concat(realFeatures)) t.Dispose();
            foreach (var row in gridRows)
                foreach (var image in row.Contexts.Append(row.Query).Append(row.Output).Append(row.Truth!)) image.Dispose();
        }
    }

    /// <summary>Adds, per item: model RMSE, SSIM, PSNR (capped at 100 dB for identical images), then copy and mean baseline RMSE and SSIM.</summary>
    private static void Score(Tensor output, Tensor truth, Tensor contexts, double[] sums)
    {
        var size = (truth.Size(2), truth.Size(3));
        sums[0] += ImageMetrics.Rmse(output, truth).Sum();
        sums[1] += ImageMetrics.Ssim(output, truth).Sum();
        sums[2] += ImageMetrics.Psnr(output, truth).Sum(p => Math.Min(p, 100));
        for (var i = 0; i < truth.Size(0); i++)
        {
            using var scope = DisposeScope.Enter();
            var itemTruth = truth.Narrow(0, i, 1);
            var copy = Baselines.Copy(contexts.Select(0, i), size);
            var mean = Baselines.Mean(contexts.Select(0, i), size);
            sums[3] += ImageMetrics.Rmse(copy, itemTruth)[0];
            sums[4] += ImageMetrics.Rmse(mean, itemTruth)[0];
            sums[5] += ImageMetrics.Ssim(copy, itemTruth)[0];
            sums[6] += ImageMetrics.Ssim(mean, itemTruth)[0];
        }
    }

    /// <summary>
    /// The held-out items, each with context photos of its own domain and of the next domain (in name
    /// order), chosen from the training items by a generator seeded with the item's index: fixed across runs.
    /// </summary>
    private List<Case> Cases(DatasetManifest manifest)
    {
        var heldOut = manifest.Items.Where(i => HoldOutSplit.IsHeldOut(i.Id, options.HoldOutShare)).Take(options.Limit ?? int.MaxValue).ToList();
        var pools = manifest.ByDomain.ToDictionary(d => d.Key, d => d.Value.Where(i => !HoldOutSplit.IsHeldOut(i.Id, options.HoldOutShare)).ToList());
        var domains = pools.Keys.Order(StringComparer.Ordinal).ToList();
        if (domains.Count < 2) throw new InvalidOperationException("context sensitivity needs at least two domains");
        return heldOut.Select((item, index) =>
        {
            var random = new Random(index);
            var otherDomain = domains[(domains.IndexOf(item.Domain) + 1) % domains.Count];
            return new Case(item, Pick(pools[item.Domain], random), Pick(pools[otherDomain], random), options.Seed + (ulong)index);
        }).ToList();
    }

    private List<ManifestItem> Pick(List<ManifestItem> pool, Random random) =>
        Enumerable.Range(0, options.ContextImages).Select(_ => pool[random.Next(pool.Count)]).ToList();

    private Tensor Load(IEnumerable<string> paths, int size, ResizeKernel kernel, DatasetManifest manifest)
    {
        var images = paths.Select(p => SquareImages.Load(decoder, manifest.PathOf(p))).ToList();
        try
        {
            return SquareImages.ToTensor(images, size, kernel);
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    /// <summary>[B, K, 3, S, S] context photos at the context encoder's size.</summary>
    private Tensor Contexts(IEnumerable<IReadOnlyList<ManifestItem>> contexts, DatasetManifest manifest)
    {
        var lists = contexts.ToList();
        using var scope = DisposeScope.Enter();
        var size = model.Config.ImageEncoder.ImageSize;
        var flat = Load(lists.SelectMany(l => l.Select(i => i.Image)), size, ResizeKernel.Lanczos3, manifest);
        return scope.MoveToOuter(flat.Reshape(lists.Count, options.ContextImages, 3, size, size));
    }

    /// <summary>Grid rows of the first <paramref name="count"/> items of a batch.</summary>
    private static List<GridRow> GridRows(Tensor query, Tensor contexts, Tensor output, Tensor truth, int count)
    {
        using var scope = DisposeScope.Enter();
        var queries = ImageTensors.FromTensor(query.Narrow(0, 0, count));
        var outputs = ImageTensors.FromTensor(output.Narrow(0, 0, count));
        var truths = ImageTensors.FromTensor(truth.Narrow(0, 0, count));
        return Enumerable.Range(0, count)
            .Select(i => new GridRow(queries[i], ImageTensors.FromTensor(contexts.Select(0, i)), outputs[i], truths[i]))
            .ToList();
    }
}
