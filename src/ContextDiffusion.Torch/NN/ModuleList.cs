using System.Collections;
using System.Globalization;

namespace ContextDiffusion.Torch.NN;

/// <summary>A list of submodules registered under their indices ("0", "1", ...), as PyTorch's nn.ModuleList.</summary>
public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
{
    private readonly List<T> modules = [];

    public ModuleList(params IEnumerable<T> modules)
    {
        foreach (var module in modules) Add(module);
    }

    public void Add(T module) => modules.Add(RegisterModule(modules.Count.ToString(CultureInfo.InvariantCulture), module));

    public T this[int index] => modules[index];

    public int Count => modules.Count;

    public IEnumerator<T> GetEnumerator() => modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
