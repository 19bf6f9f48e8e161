using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ContextDiffusion.Torch.Native;

namespace ContextDiffusion.Torch;

/// <summary>
/// A handle to one libtorch tensor. Dispose it, or create it inside a <see cref="DisposeScope"/>,
/// so that its native memory is freed at a known point; the finalizer is only a safety net.
/// </summary>
public sealed partial class Tensor : IDisposable
{
    private static long liveCount;
    private IntPtr handle;

    internal Tensor(IntPtr handle)
    {
        this.handle = handle;
        Interlocked.Increment(ref liveCount);
        DisposeScope.Current?.Register(this);
    }

    ~Tensor() => Free();

    /// <summary>Tensors created and not yet disposed or finalized, process-wide: for leak tests.</summary>
    public static long LiveCount => Interlocked.Read(ref liveCount);

    public bool IsDisposed => handle == IntPtr.Zero;

    internal IntPtr Handle => handle != IntPtr.Zero ? handle : throw new ObjectDisposedException(nameof(Tensor), "the tensor was disposed");

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
        if (h == IntPtr.Zero) return;
        LibTorch.cdt_free(h);
        Interlocked.Decrement(ref liveCount);
    }

    public int Dim => LibTorch.cdt_ndim(Handle);

    public unsafe long[] Shape
    {
        get
        {
            var shape = new long[Dim];
            fixed (long* p = shape) LibTorch.cdt_shape(Handle, p);
            return shape;
        }
    }

    /// <summary>Size of one dimension; negative counts from the end.</summary>
    public long Size(int dim)
    {
        var shape = Shape;
        return shape[dim < 0 ? dim + shape.Length : dim];
    }

    public long NumElements => LibTorch.cdt_numel(Handle);

    public DType DType => (DType)LibTorch.cdt_dtype(Handle);

    public Device Device => new((DeviceType)LibTorch.cdt_device_type(Handle), LibTorch.cdt_device_index(Handle));

    public bool IsContiguous => LibTorch.cdt_is_contiguous(Handle) != 0;

    /// <summary>Whether both tensors are views of the same storage (no copy was made).</summary>
    public bool SharesStorageWith(Tensor other) => LibTorch.cdt_same_storage(Handle, other.Handle) != 0;

    public override string ToString() => IsDisposed ? "Tensor(disposed)" : $"Tensor({ShapeText(Shape)}, {DType}, {Device})";

    internal static string ShapeText(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    // ---- creation ----

    /// <summary>A new tensor holding a copy of <paramref name="data"/> in the given shape.</summary>
    public static Tensor From<T>(ReadOnlySpan<T> data, ReadOnlySpan<long> shape, Device? device = null) where T : unmanaged =>
        FromBytes(MemoryMarshal.AsBytes(data), DTypeExtensions.Of<T>(), shape, device);

    public static Tensor From<T>(T[] data, params long[] shape) where T : unmanaged =>
        From<T>(data.AsSpan(), shape.Length == 0 ? [data.LongLength] : shape);

    /// <summary>A one-element, zero-dimensional tensor.</summary>
    public static Tensor Scalar<T>(T value, Device? device = null) where T : unmanaged =>
        From<T>([value], ReadOnlySpan<long>.Empty, device);

    /// <summary>A new tensor from raw little-endian element bytes (as stored in safetensors files).</summary>
    public static unsafe Tensor FromBytes(ReadOnlySpan<byte> bytes, DType dtype, ReadOnlySpan<long> shape, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        fixed (byte* p = bytes)
        fixed (long* s = shape)
        {
            return Check(LibTorch.cdt_from_data(p, bytes.Length, s, shape.Length, (int)dtype, (int)d.Type, d.Index),
                "from_data", $"shape {ShapeText(shape)} of {dtype} from {bytes.Length} bytes");
        }
    }

    public static Tensor Empty(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => New(shape, 0, 0, dtype, device);
    public static Tensor Zeros(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => New(shape, 1, 0, dtype, device);
    public static Tensor Ones(ReadOnlySpan<long> shape, DType dtype = DType.Float32, Device? device = null) => New(shape, 2, 0, dtype, device);
    public static Tensor Full(ReadOnlySpan<long> shape, double value, DType dtype = DType.Float32, Device? device = null) => New(shape, 3, value, dtype, device);

    private static unsafe Tensor New(ReadOnlySpan<long> shape, int fill, double value, DType dtype, Device? device)
    {
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
            return Check(LibTorch.cdt_new(s, shape.Length, fill, value, (int)dtype, (int)d.Type, d.Index), "new", $"shape {ShapeText(shape)} of {dtype} on {d}");
    }

    public static Tensor Arange(double start, double end, double step = 1, DType dtype = DType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        return Check(LibTorch.cdt_arange(start, end, step, (int)dtype, (int)d.Type, d.Index), "arange", $"[{start}, {end}) step {step}");
    }

    // ---- export ----

    /// <summary>Copies the elements out in row-major order (from any device, any layout).</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var result = new T[NumElements];
        CopyTo<T>(result);
        return result;
    }

    public void CopyTo<T>(Span<T> destination) where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new TorchException("copy_to", $"cannot copy a {DType} tensor into {typeof(T).Name} elements; convert with To(DType) first");
        CopyBytesTo(MemoryMarshal.AsBytes(destination));
    }

    public unsafe void CopyBytesTo(Span<byte> destination)
    {
        fixed (byte* p = destination)
            CheckStatus(LibTorch.cdt_copy_to(Handle, p, destination.Length), "copy_to", this);
    }

    /// <summary>The value of a one-element tensor.</summary>
    public double Item()
    {
        LibTorch.cdt_clear_error();
        var value = LibTorch.cdt_item(Handle);
        if (double.IsNaN(value) && LibTorch.LastError() is { Length: > 0 } error)
            throw new TorchException("item", $"item failed for tensor {ShapeText(Shape)}: {error}");
        return value;
    }

    // ---- conversion ----

    public Tensor To(DType dtype) => To(Device, dtype);

    public Tensor To(Device device) => To(device, DType);

    public Tensor To(Device device, DType dtype, bool nonBlocking = false) =>
        Wrap(LibTorch.cdt_to(Handle, (int)dtype, (int)device.Type, device.Index, nonBlocking ? 1 : 0), "to", this);

    public Tensor Clone() => Wrap(LibTorch.cdt_clone(Handle), "clone", this);

    /// <summary>A second handle to the same tensor, to be disposed on its own.</summary>
    public Tensor Alias() => Wrap(LibTorch.cdt_alias(Handle), "alias", this);

    /// <summary>Copies <paramref name="source"/> into this tensor in place (broadcast, dtype and device converted), outside autograd.</summary>
    public Tensor CopyFrom(Tensor source)
    {
        CheckStatus(LibTorch.cdt_copy_(Handle, source.Handle), "copy_", this, source);
        return this;
    }

    // ---- error checking ----

    // The description arguments are FailureText handlers: formatted only when the call failed.

    internal static Tensor Check(IntPtr result, string operation, [InterpolatedStringHandlerArgument("result")] ref FailureText what)
    {
        if (result == IntPtr.Zero) throw new TorchException(operation, $"{operation} failed for {what.ToString()}: {LibTorch.LastError()}");
        return new Tensor(result);
    }

    internal static Tensor Wrap(IntPtr result, string operation, Tensor a, Tensor? b = null)
    {
        if (result == IntPtr.Zero) throw Failure(operation, a, b);
        return new Tensor(result);
    }

    internal static Tensor Wrap(IntPtr result, [InterpolatedStringHandlerArgument("result")] ref FailureText operation, Tensor a, Tensor? b = null)
    {
        if (result == IntPtr.Zero) throw Failure(operation.ToString(), a, b);
        return new Tensor(result);
    }

    internal static void CheckStatus(int status, string operation, Tensor a, Tensor? b = null)
    {
        if (status != 0) throw Failure(operation, a, b);
    }

    internal static void CheckStatus(int status, [InterpolatedStringHandlerArgument("status")] ref FailureText operation, Tensor a, Tensor? b = null)
    {
        if (status != 0) throw Failure(operation.ToString(), a, b);
    }

    private static TorchException Failure(string operation, Tensor a, Tensor? b)
    {
        var shapes = b is null ? ShapeText(a.Shape) : $"{ShapeText(a.Shape)} and {ShapeText(b.Shape)}";
        return new TorchException(operation, $"{operation} failed for {shapes}: {LibTorch.LastError()}");
    }
}
