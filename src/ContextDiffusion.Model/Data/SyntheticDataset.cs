using System.Text.Json;
using ContextDiffusion.Imaging;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// A small paired dataset made from nothing, for demos and smoke runs where no real one is at hand: each
/// item is a segmentation map of a few rectangles (labels in fixed colours) and a "photo" in which every
/// label takes its domain's colour, with noise. The map gives the layout and the domain gives the look,
/// which is exactly what the model has to learn. Written in the manifest.jsonl format of shared/data.
/// </summary>
public static class SyntheticDataset
{
    private const int Size = 64;
    private const int Labels = 4;

    /// <summary>Label colours of the maps, and each domain's colour per label (RGB in [0, 1]).</summary>
    private static readonly float[][] MapColours = [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]];

    private static readonly Dictionary<string, float[][]> Domains = new()
    {
        ["warm"] = [[0.95f, 0.85f, 0.6f], [0.8f, 0.25f, 0.1f], [0.95f, 0.6f, 0.1f], [0.55f, 0.2f, 0.3f]],
        ["cool"] = [[0.15f, 0.2f, 0.35f], [0.2f, 0.6f, 0.8f], [0.3f, 0.8f, 0.6f], [0.85f, 0.9f, 0.95f]],
    };

    /// <summary>Writes <paramref name="items"/> items (alternating domains) and their manifest into <paramref name="folder"/>.</summary>
    public static void Write(string folder, int items, int seed = 0)
    {
        var random = new Random(seed);
        var lines = new List<string>();
        var domains = Domains.Keys.ToArray();
        for (var i = 0; i < items; i++)
        {
            var domain = domains[i % domains.Length];
            var labels = RandomLayout(random);
            var id = $"{domain}/{i:D4}";
            var image = $"{id}.png";
            var map = $"{id}.seg.png";
            Directory.CreateDirectory(Path.Combine(folder, domain));
            File.WriteAllBytes(Path.Combine(folder, map), Encode(labels, MapColours, noise: null));
            File.WriteAllBytes(Path.Combine(folder, image), Encode(labels, Domains[domain], noise: random));
            lines.Add(JsonSerializer.Serialize(new { id, domain, split = "train", image, query = new { seg = map } }));
        }
        File.WriteAllLines(Path.Combine(folder, DatasetManifest.FileName), lines);
    }

    /// <summary>A background and up to four rectangles of random labels.</summary>
    private static int[] RandomLayout(Random random)
    {
        var labels = new int[Size * Size];
        for (var r = 0; r < random.Next(2, 5); r++)
        {
            var label = random.Next(1, Labels);
            int x0 = random.Next(0, Size - 16), y0 = random.Next(0, Size - 16);
            int x1 = random.Next(x0 + 12, Size + 1), y1 = random.Next(y0 + 12, Size + 1);
            for (var y = y0; y < y1; y++)
                for (var x = x0; x < x1; x++) labels[y * Size + x] = label;
        }
        return labels;
    }

    private static byte[] Encode(int[] labels, float[][] colours, Random? noise)
    {
        var pixels = new float[3 * Size * Size];
        for (var p = 0; p < labels.Length; p++)
            for (var c = 0; c < 3; c++)
            {
                var value = colours[labels[p]][c] + (noise is null ? 0 : (float)(noise.NextDouble() - 0.5) * 0.1f);
                pixels[c * Size * Size + p] = Math.Clamp(value, 0, 1) * 2 - 1;
            }
        using var tensor = Tensor.From(pixels, 1, 3, Size, Size);
        using var image = ImageTensors.FromTensor(tensor)[0];
        return ImageEncoder.EncodePng(image);
    }
}
