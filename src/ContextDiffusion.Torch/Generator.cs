using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

/// <summary>
/// A seeded pseudo-random number generator for one device (torch.Generator). Sampling ops take one
/// optionally; without it they use libtorch's default generator of the device, which
/// <see cref="Torch.ManualSeed"/> seeds. On CPU the same seed gives the same numbers as PyTorch.
/// Ops lock the generator, so threads may share one, but then which thread gets which numbers
/// depends on timing: give each worker its own generator when results must be reproducible.
/// </summary>
public sealed class Generator : IDisposable
{
    private IntPtr handle;

    /// <summary>A new generator for <paramref name="device"/> (cpu by default), seeded with <paramref name="seed"/>.</summary>
    public Generator(ulong seed, Device? device = null)
    {
        Device = device ?? Device.Cpu;
        handle = Created(LibTorch.cdt_generator_new(seed, (int)Device.Type, Device.Index), Device);
    }

    private Generator(IntPtr handle, Device device)
    {
        Device = device;
        this.handle = Created(handle, device);
    }

    private static IntPtr Created(IntPtr handle, Device device) =>
        handle != IntPtr.Zero ? handle : throw new TorchException("generator", $"creating a generator on {device} failed: {LibTorch.LastError()}");

    ~Generator() => Free();

    /// <summary>A handle to libtorch's default generator of the device, e.g. to save and restore its state.</summary>
    public static Generator Default(Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return new Generator(LibTorch.cdt_generator_default((int)d.Type, d.Index), d);
    }

    public Device Device { get; }

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Generator), "the generator was disposed");

    /// <summary>The seed the current sequence started from; setting it restarts the sequence (manual_seed).</summary>
    public ulong Seed
    {
        get => LibTorch.cdt_generator_seed(Handle);
        set => Torch.CheckStatus(LibTorch.cdt_generator_set_seed(Handle, value), "manual_seed");
    }

    /// <summary>The complete state (PyTorch's get_state bytes): restoring it continues the exact sequence.</summary>
    public byte[] GetState()
    {
        using var state = Tensor.Check(LibTorch.cdt_generator_get_state(Handle), "get_state", $"generator on {Device}");
        return state.ToArray<byte>();
    }

    /// <summary>Restores a state from <see cref="GetState"/> (of a generator of the same device type).</summary>
    public void SetState(ReadOnlySpan<byte> state)
    {
        using var bytes = Tensor.FromBytes(state, DType.UInt8, [state.Length]);
        Torch.CheckStatus(LibTorch.cdt_generator_set_state(Handle, bytes.Handle), "set_state");
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h != IntPtr.Zero) LibTorch.cdt_generator_free(h);
    }

    internal static IntPtr HandleOf(Generator? generator) => generator?.Handle ?? IntPtr.Zero;
}
