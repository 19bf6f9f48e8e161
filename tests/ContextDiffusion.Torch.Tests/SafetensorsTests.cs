using System.Buffers.Binary;
using System.Text;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Tests;

public sealed class SafetensorsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("safetensors-tests").FullName;

    private string PathOf(string name) => Path.Combine(folder, name);

    [Fact]
    public void Round_trips_tensors_of_every_dtype_with_metadata()
    {
        using var scope = DisposeScope.Enter();
        var originals = new Dictionary<string, Tensor>
        {
            ["a.weight"] = Tensor.From(new float[] { 1.5f, -2, 3, 4, 5, 6 }, 2, 3),
            ["b"] = Tensor.From(new long[] { 1, -2, long.MaxValue }),
            ["c"] = Tensor.From(new float[] { 0.25f, 8 }).To(DType.BFloat16),
            ["d"] = Tensor.From(new float[] { 0.5f, 1 }).To(DType.Float16),
            ["e"] = Tensor.From(new bool[] { true, false, true }),
            ["f"] = Tensor.From(new byte[] { 0, 255 }),
            ["g"] = Tensor.Scalar(7),
            ["empty"] = Tensor.Zeros([0, 4]),
        };
        var path = PathOf("all.safetensors");
        SafetensorsWriter.Write(path, originals, new Dictionary<string, string> { ["step"] = "42" });

        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("42", file.Metadata["step"]);
        Assert.Equal(originals.Keys, file.Entries.Select(e => e.Name));
        foreach (var (name, original) in originals)
        {
            var loaded = file.Load(name);
            Assert.Equal(original.DType, loaded.DType);
            Assert.Equal(original.Shape, loaded.Shape);
            var expected = new byte[original.NumElements * original.DType.ElementSize()];
            var actual = new byte[expected.Length];
            original.CopyBytesTo(expected);
            loaded.CopyBytesTo(actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Reads_files_written_by_pytorch_side_script()
    {
        using var file = SafetensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Parity", "fixtures", "core.safetensors"));
        Assert.StartsWith("1.13", file.Metadata["torch"]);
        using var input = file.Load("matmul/in0");
        Assert.Equal([3L, 5L], input.Shape);
    }

    private string WriteRaw(string name, string header, int dataBytes, long? claimedHeaderLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)(claimedHeaderLength ?? json.Length));
        json.CopyTo(bytes, 8);
        var path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Rejected(string path)
    {
        var error = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, error.Message);
        return error.Message;
    }

    [Fact]
    public void Rejects_a_file_shorter_than_the_length_prefix()
    {
        var path = PathOf("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Rejected(path));
    }

    [Fact]
    public void Rejects_a_truncated_file()
    {
        using var scope = DisposeScope.Enter();
        var path = PathOf("whole.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones([64]) });
        var bytes = File.ReadAllBytes(path);
        var truncatedData = PathOf("truncated-data.safetensors");
        File.WriteAllBytes(truncatedData, bytes[..^10]);
        Assert.Contains("outside the data section", Rejected(truncatedData));
        var truncatedHeader = PathOf("truncated-header.safetensors");
        File.WriteAllBytes(truncatedHeader, bytes[..20]);
        Assert.Contains("runs past the end", Rejected(truncatedHeader));
    }

    [Fact]
    public void Rejects_an_oversized_header_length_before_reading_it()
    {
        var path = WriteRaw("huge.safetensors", "{}", 0, claimedHeaderLength: long.MaxValue);
        Assert.Contains("exceeds the limit", Rejected(path));
    }

    [Fact]
    public void Rejects_a_garbage_header()
    {
        Assert.Contains("not valid JSON", Rejected(WriteRaw("garbage.safetensors", "\u0001\u0002not json at all", 0)));
        Assert.Contains("not a JSON object", Rejected(WriteRaw("array.safetensors", "[1, 2]", 0)));
    }

    [Theory]
    [InlineData("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,64]}}""", 16, "outside the data section")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[8,0]}}""", 16, "outside the data section")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[-8,8]}}""", 16, "outside the data section")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,12]}}""", 16, "needs 16")]
    [InlineData("""{"x":{"dtype":"Q4","shape":[4],"data_offsets":[0,16]}}""", 16, "unknown dtype 'Q4'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}""", 16, "non-negative")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,16]}}""", 16, "too large")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4]}}""", 16, "no data_offsets")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 16, "overlap")]
    [InlineData("""{"__metadata__":{"a":1}}""", 0, "not a string")]
    public void Rejects_bad_tensor_descriptions(string header, int dataBytes, string reason)
    {
        var path = WriteRaw($"bad-{Guid.NewGuid():N}.safetensors", header, dataBytes);
        Assert.Contains(reason, Rejected(path));
    }

    [Fact]
    public void Maps_and_drops_keys_while_loading()
    {
        using var scope = DisposeScope.Enter();
        var path = PathOf("keys.safetensors");
        SafetensorsWriter.Write(path, new Dictionary<string, Tensor> { ["model.a"] = Tensor.Ones([1]), ["model.b"] = Tensor.Ones([1]) });
        using var file = SafetensorsFile.Open(path);
        var loaded = file.LoadAll(name => name == "model.b" ? null : name.Replace("model.", ""));
        Assert.Equal(["a"], loaded.Keys);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
