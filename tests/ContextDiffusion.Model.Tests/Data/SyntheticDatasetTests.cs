using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Model.Tests.Data;

public sealed class SyntheticDatasetTests
{
    [Fact]
    public void Writes_a_manifest_of_paired_maps_and_photos_in_two_domains()
    {
        var folder = Directory.CreateTempSubdirectory("cdiff-synthetic-").FullName;
        try
        {
            SyntheticDataset.Write(folder, items: 6, seed: 1);

            var manifest = DatasetManifest.Load(folder);
            Assert.Equal(6, manifest.Items.Count);
            Assert.Equal(["cool", "warm"], manifest.ByDomain.Keys.Order());
            var decoder = new ImageDecoder();
            foreach (var item in manifest.Items)
            {
                using var photo = decoder.Decode(File.ReadAllBytes(manifest.PathOf(item.Image)), item.Image);
                using var map = decoder.Decode(File.ReadAllBytes(manifest.PathOf(item.QueryMap)), item.QueryMap);
                Assert.Equal((64, 64, 3), (photo.Width, photo.Height, photo.Bands));
                Assert.Equal((64, 64), (map.Width, map.Height));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
