namespace ContextDiffusion.Torch;

/// <summary>
/// Collects every tensor created while it is the current scope and disposes them together, so a
/// training or sampling step frees all its temporaries at one known point.
/// <para>
/// The current scope is held in an <see cref="AsyncLocal{T}"/>: it flows into awaited calls and
/// tasks started inside it, and it stays current across await points even when the continuation
/// runs on another thread. Enter and dispose a scope in the same method (a <c>using</c> statement).
/// Tensors that must outlive the scope are moved out with <see cref="MoveToOuter"/> (into the
/// enclosing scope, or to nobody when there is none) or <see cref="Detach"/> (to nobody).
/// </para>
/// </summary>
public sealed class DisposeScope : IDisposable
{
    private static readonly AsyncLocal<DisposeScope?> current = new();
    private readonly List<Tensor> tensors = [];
    private readonly DisposeScope? outer;
    private bool disposed;

    private DisposeScope(DisposeScope? outer) => this.outer = outer;

    public static DisposeScope? Current => current.Value;

    /// <summary>Starts a scope nested in the current one.</summary>
    public static DisposeScope Enter()
    {
        var scope = new DisposeScope(current.Value);
        current.Value = scope;
        return scope;
    }

    /// <summary>Runs <paramref name="body"/> with no current scope: what it creates is owned by the caller alone.</summary>
    public static T Outside<T>(Func<T> body)
    {
        var saved = current.Value;
        current.Value = null;
        try { return body(); }
        finally { current.Value = saved; }
    }

    public int Count { get { lock (tensors) return tensors.Count; } }

    internal void Register(Tensor tensor)
    {
        lock (tensors) tensors.Add(tensor);
    }

    /// <summary>Hands the tensor to the enclosing scope (or to no scope) and returns it.</summary>
    public Tensor MoveToOuter(Tensor tensor)
    {
        Detach(tensor);
        outer?.Register(tensor);
        return tensor;
    }

    /// <summary>Removes the tensor from this scope: the caller now disposes it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        lock (tensors)
        {
            // The newest tensors are the ones usually kept: search from the end.
            var index = tensors.LastIndexOf(tensor);
            if (index >= 0) tensors.RemoveAt(index);
        }
        return tensor;
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (current.Value == this) current.Value = outer;
        lock (tensors)
        {
            foreach (var tensor in tensors) tensor.Dispose();
            tensors.Clear();
        }
    }
}
