using System.Globalization;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Torch.Optim;

/// <summary>
/// Reading and writing the safetensors files that hold training state (optimizer moments, averages,
/// loss scale). Tensors are stored raw; counters and hyperparameters go in <c>__metadata__</c> as
/// round-trip strings, so a resumed run continues bit for bit. The <c>state</c> entry names the kind of
/// state, so that one kind of file is never loaded as another.
/// </summary>
internal static class TrainingStateFile
{
    private const string KindKey = "state";

    public static void Write(string path, string kind, IEnumerable<KeyValuePair<string, Tensor>> tensors, Dictionary<string, string> metadata)
    {
        metadata[KindKey] = kind;
        SafetensorsWriter.Write(path, tensors, metadata);
    }

    public static SafetensorsFile Open(string path, string kind)
    {
        var file = SafetensorsFile.Open(path);
        var found = file.Metadata.GetValueOrDefault(KindKey);
        if (found == kind) return file;
        file.Dispose();
        throw new InvalidDataException($"{path}: holds {(found is null ? "no training state" : $"{found} state")}, not {kind} state");
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static double ReadDouble(SafetensorsFile file, string key) =>
        double.TryParse(Read(file, key), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file.Path}: metadata '{key}' is not a number");

    public static long ReadLong(SafetensorsFile file, string key) =>
        long.TryParse(Read(file, key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{file.Path}: metadata '{key}' is not an integer");

    public static bool ReadBool(SafetensorsFile file, string key) =>
        bool.TryParse(Read(file, key), out var value) ? value : throw new InvalidDataException($"{file.Path}: metadata '{key}' is not true or false");

    private static string Read(SafetensorsFile file, string key) =>
        file.Metadata.TryGetValue(key, out var text) ? text : throw new InvalidDataException($"{file.Path}: metadata '{key}' is missing");

    /// <summary>Loads a tensor that must have the shape and dtype of <paramref name="like"/>, onto its device.</summary>
    public static Tensor LoadLike(SafetensorsFile file, string name, Tensor like)
    {
        var entry = file[name];
        if (entry.DType != like.DType || !entry.Shape.SequenceEqual(like.Shape))
            throw new InvalidDataException(
                $"{file.Path}: '{name}' is {Tensor.ShapeText(entry.Shape)} of {entry.DType} but the parameter is {Tensor.ShapeText(like.Shape)} of {like.DType}");
        return file.Load(entry, like.Device);
    }
}
