using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Data;

public class TrainingDatasetTests
{
    [Fact]
    public void Batches_pair_maps_with_photos_and_same_domain_context()
    {
        var manifest = DatasetManifest.Load(SharedData.Folder);
        TensorAssert.FlushFinalizers();
        var before = Tensor.LiveCount;
        using (var dataset = TrainingDataset.Load(manifest, resolution: 32, contextSize: 24, holdOutShare: 0.1, limit: 40))
        {
            Assert.True(dataset.Count <= 40);
            using var batch = dataset.Sample(batchSize: 4, contextCount: 3, new Random(7));
            Assert.Equal([4L, 3, 32, 32], batch.Query.Shape);
            Assert.Equal([4L, 3, 32, 32], batch.Target.Shape);
            Assert.Equal([4L, 3, 3, 24, 24], batch.Context.Shape);
            using var scope = DisposeScope.Enter();
            Assert.InRange(batch.Target.Amin().Item(), -1.0, -0.5);
            Assert.InRange(batch.Target.Amax().Item(), 0.5, 1.0);
            Assert.All(batch.Ids, id => Assert.False(HoldOutSplit.IsHeldOut(id, 0.1)));
            Assert.All(batch.Prompts, p => Assert.Equal("a photo of a building facade", p));
        }
        Assert.Equal(before, Tensor.LiveCount);
    }

    [Fact]
    public void Same_seed_gives_the_same_batch()
    {
        var manifest = DatasetManifest.Load(SharedData.Folder);
        using var dataset = TrainingDataset.Load(manifest, resolution: 16, contextSize: 16, holdOutShare: 0.1, limit: 12);
        using var a = dataset.Sample(2, 1, new Random(3));
        using var b = dataset.Sample(2, 1, new Random(3));
        Assert.Equal(a.Ids, b.Ids);
        Assert.Equal(a.Target.ToArray<float>(), b.Target.ToArray<float>());
        Assert.Equal(a.Context.ToArray<float>(), b.Context.ToArray<float>());
    }

    [Fact]
    public void Context_drawn_from_candidates_is_closer_to_the_target_in_colour_than_random_context()
    {
        var manifest = DatasetManifest.Load(SharedData.Folder);
        using var dataset = TrainingDataset.Load(manifest, resolution: 16, contextSize: 16, holdOutShare: 0.1, limit: 60);
        double MeanDistance(int candidates)
        {
            using var batch = dataset.Sample(48, 1, new Random(11), candidates);
            using var scope = DisposeScope.Enter();
            return Enumerable.Range(0, 48).Average(b =>
            {
                return ImageMetrics.ColourDistance(ImageMetrics.MeanColour(batch.Target.Narrow(0, b, 1)), ImageMetrics.MeanColour(batch.Context.Select(0, b)));
            });
        }
        var random = MeanDistance(1);
        var matched = MeanDistance(8);
        Assert.True(matched < 0.7 * random, $"mean colour distance target-context: {matched:F3} from 8 candidates, {random:F3} at random");
    }
}
