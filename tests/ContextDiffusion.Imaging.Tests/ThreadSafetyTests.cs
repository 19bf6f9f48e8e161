using System.Security.Cryptography;

namespace ContextDiffusion.Imaging.Tests;

public class ThreadSafetyTests
{
    [Fact]
    public void Parallel_decodes_transforms_and_encodes_match_sequential_ones()
    {
        var decoder = new ImageDecoder();
        var paths = TestData.Manifest.Take(24).SelectMany(i => i.Maps.Values.Prepend(i.Image)).ToList();
        var inputs = paths.Select(TestData.Bytes).ToList();
        string Process(int i)
        {
            using var image = decoder.Decode(inputs[i], paths[i]);
            using var resized = image.Resize(128, 96);
            using var flipped = resized.FlipHorizontal();
            return Convert.ToHexString(SHA256.HashData(ImageEncoder.EncodePng(flipped)));
        }
        var expected = Enumerable.Range(0, inputs.Count).Select(Process).ToList();
        for (var round = 0; round < 3; round++)
        {
            var actual = new string[inputs.Count];
            Parallel.For(0, inputs.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Process(i));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Concurrent_failures_each_name_their_own_input()
    {
        var decoder = new ImageDecoder();
        var photo = TestData.Bytes("facades/train/cmp_b0001.jpg");
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var name = $"input {i}";
            if (i % 2 == 0)
            {
                var error = Assert.Throws<ImageValidationException>(() => decoder.Decode(photo[..(photo.Length / 2)], name));
                Assert.Equal((name, ImageRejectionReason.Truncated), (error.InputName, error.Reason));
            }
            else
            {
                using var image = decoder.Decode(photo, name);
                Assert.Equal(204, image.Width);
            }
        });
    }
}
