using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Torch.Serialization;

/// <summary>Saving a module's state dict as safetensors, and loading one straight into its parameters.</summary>
public static class ModuleSafetensors
{
    public static void SaveSafetensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(path, module.StateDict(), metadata);

    /// <summary>
    /// Loads a checkpoint into the module, one tensor at a time from the memory map. <paramref name="mapKey"/>
    /// renames checkpoint keys to the module's (null drops a key), e.g. to strip a "model." prefix or
    /// translate another library's naming. Strict by default: missing, unexpected or mismatched keys
    /// throw a <see cref="StateDictException"/> before anything is copied.
    /// </summary>
    public static (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadSafetensors(
        this Module module, SafetensorsFile file, Func<string, string?>? mapKey = null, bool strict = true)
    {
        var entries = new Dictionary<string, SafetensorsEntry>();
        foreach (var entry in file.Entries)
        {
            var key = mapKey is null ? entry.Name : mapKey(entry.Name);
            if (key is null) continue;
            if (!entries.TryAdd(key, entry))
                throw new SafetensorsFormatException($"{file.Path}: tensors '{entries[key].Name}' and '{entry.Name}' both map to '{key}'");
        }
        return module.LoadStateDict(entries.ToDictionary(e => e.Key, e => e.Value.Shape), (key, target) =>
        {
            using var source = file.Load(entries[key]);
            target.CopyFrom(source);
        }, strict);
    }

    public static (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) LoadSafetensors(
        this Module module, string path, Func<string, string?>? mapKey = null, bool strict = true)
    {
        using var file = SafetensorsFile.Open(path);
        return module.LoadSafetensors(file, mapKey, strict);
    }
}
