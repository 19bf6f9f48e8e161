using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace ContextDiffusion.Torch.Serialization;

/// <summary>
/// A safetensors file opened for reading through a memory map: the header is parsed and validated
/// on open, and each tensor's bytes are copied straight from the mapping into a new tensor.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>Headers above this are refused before any parse, as the reference implementation does.</summary>
    public const long DefaultMaxHeaderBytes = 100L * 1024 * 1024;

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly byte* basePointer;
    private readonly long dataStart;
    private readonly Dictionary<string, SafetensorsEntry> byName;

    public string Path { get; }
    public IReadOnlyList<SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    private SafetensorsFile(string path, long maxHeaderBytes)
    {
        Path = path;
        var length = new FileInfo(path).Length;
        if (length < 8)
            throw new SafetensorsFormatException($"{path}: file of {length} bytes is too short to hold the 8-byte header length (truncated?)");
        map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        try
        {
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
            basePointer += view.PointerOffset;

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(basePointer, 8));
            if (headerLength > (ulong)maxHeaderBytes)
                throw new SafetensorsFormatException($"{path}: header length {headerLength} exceeds the limit of {maxHeaderBytes} bytes");
            if (headerLength > (ulong)(length - 8))
                throw new SafetensorsFormatException($"{path}: header length {headerLength} runs past the end of the {length}-byte file (truncated?)");
            dataStart = 8 + (long)headerLength;
            var (entries, metadata) = SafetensorsHeader.Parse(new ReadOnlySpan<byte>(basePointer + 8, (int)headerLength), length - dataStart, path);
            Entries = entries;
            Metadata = metadata;
            byName = entries.ToDictionary(e => e.Name);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static SafetensorsFile Open(string path, long maxHeaderBytes = DefaultMaxHeaderBytes) => new(path, maxHeaderBytes);

    public bool Contains(string name) => byName.ContainsKey(name);

    public SafetensorsEntry this[string name] =>
        byName.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    /// <summary>The raw little-endian bytes of a tensor, valid while this file is open.</summary>
    public ReadOnlySpan<byte> Bytes(SafetensorsEntry entry) =>
        new(basePointer + dataStart + entry.Begin, checked((int)entry.ByteLength));

    public Tensor Load(string name, Device? device = null) => Load(this[name], device);

    public Tensor Load(SafetensorsEntry entry, Device? device = null) => Tensor.FromBytes(Bytes(entry), entry.DType, entry.Shape, device);

    /// <summary>Loads every tensor, renamed by <paramref name="mapKey"/> (null drops a tensor).</summary>
    public Dictionary<string, Tensor> LoadAll(Func<string, string?>? mapKey = null, Device? device = null)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in Entries)
        {
            var key = mapKey is null ? entry.Name : mapKey(entry.Name);
            if (key is not null) result[key] = Load(entry, device);
        }
        return result;
    }

    public void Dispose()
    {
        if (view is not null)
        {
            if (basePointer != null) view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
        }
        map?.Dispose();
    }
}
