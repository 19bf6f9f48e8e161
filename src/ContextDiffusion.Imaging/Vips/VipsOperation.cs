namespace ContextDiffusion.Imaging.Vips;

/// <summary>
/// One call of a libvips operation through its generic, non-variadic API: vips_operation_new,
/// arguments set as GValues with g_object_set_property, vips_cache_operation_buildp, and outputs
/// read back with g_object_get_property. This is how libvips' own C++ binding and pyvips call
/// operations, and it passes doubles, enums and arrays without the varargs convention.
/// </summary>
/// <remarks>
/// Enum arguments are passed as ints: GObject transforms an int GValue into the property's enum type.
/// Dispose releases the operation and its outputs; images taken with <see cref="GetImage"/> hold
/// their own reference and outlive it.
/// </remarks>
internal sealed unsafe class VipsOperation : IDisposable
{
    private readonly string name;
    private IntPtr operation;
    private bool built;

    public VipsOperation(string name)
    {
        VipsRuntime.EnsureInitialized();
        this.name = name;
        operation = LibVips.vips_operation_new(name);
        if (operation == IntPtr.Zero) throw VipsErrors.Failure(name, $"libvips has no operation '{name}'");
    }

    /// <summary>Runs an operation whose result is the image output "out".</summary>
    public static VipsImageHandle Run(string name, Action<VipsOperation> setArguments, bool useCache = true)
    {
        using var call = new VipsOperation(name);
        setArguments(call);
        return call.Build(useCache).GetImage("out");
    }

    public VipsOperation Set(string property, VipsImageHandle image)
    {
        var added = false;
        image.DangerousAddRef(ref added);
        try
        {
            GValue value = default;
            LibVips.g_value_init(&value, LibVips.vips_image_get_type());
            LibVips.g_value_set_object(&value, image.DangerousGetHandle());
            return SetAndUnset(property, &value);
        }
        finally { if (added) image.DangerousRelease(); }
    }

    public VipsOperation Set(string property, int v)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.GTypeInt);
        LibVips.g_value_set_int(&value, v);
        return SetAndUnset(property, &value);
    }

    public VipsOperation Set(string property, double v)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.GTypeDouble);
        LibVips.g_value_set_double(&value, v);
        return SetAndUnset(property, &value);
    }

    public VipsOperation Set(string property, bool v)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.GTypeBoolean);
        LibVips.g_value_set_boolean(&value, v ? 1 : 0);
        return SetAndUnset(property, &value);
    }

    /// <summary>A VipsArrayDouble argument, such as a background colour.</summary>
    public VipsOperation Set(string property, ReadOnlySpan<double> values)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.vips_array_double_get_type());
        fixed (double* p = values) LibVips.vips_value_set_array_double(&value, p, values.Length);
        return SetAndUnset(property, &value);
    }

    /// <summary>A VipsArrayImage argument. The array keeps its own reference to each image.</summary>
    public VipsOperation Set(string property, IReadOnlyList<VipsImageHandle> images)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.vips_array_image_get_type());
        LibVips.vips_value_set_array_image(&value, images.Count);
        var slots = LibVips.vips_value_get_array_image(&value, out _);
        for (var i = 0; i < images.Count; i++)
            slots[i] = images[i].NewReference();
        return SetAndUnset(property, &value);
    }

    /// <summary>
    /// A VipsBlob argument holding a copy of <paramref name="bytes"/> in GLib memory that the blob
    /// frees. A loader reads its buffer lazily, long after this call, so it must own the bytes.
    /// </summary>
    public VipsOperation SetBlob(string property, ReadOnlySpan<byte> bytes)
    {
        var memory = LibVips.g_malloc((nuint)Math.Max(bytes.Length, 1));
        bytes.CopyTo(new Span<byte>((void*)memory, bytes.Length));
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.vips_blob_get_type());
        LibVips.vips_value_set_blob_free(&value, memory, (nuint)bytes.Length);
        return SetAndUnset(property, &value);
    }

    private VipsOperation SetAndUnset(string property, GValue* value)
    {
        LibVips.g_object_set_property(operation, property, value);
        LibVips.g_value_unset(value);
        return this;
    }

    /// <summary>
    /// Builds the operation. With <paramref name="useCache"/> an identical earlier call is reused from
    /// libvips' operation cache, which also keeps the call's inputs alive. One-off calls pass false:
    /// loads and decode steps (a cached load would hold its whole input buffer in GLib memory, which
    /// the cache's memory limit does not count), savers, and copies made to be modified.
    /// </summary>
    public VipsOperation Build(bool useCache = true)
    {
        var status = useCache ? LibVips.vips_cache_operation_buildp(ref operation) : LibVips.vips_object_build(operation);
        built = true;
        if (status != 0) throw VipsErrors.Failure(name, $"libvips {name} failed");
        return this;
    }

    public VipsImageHandle GetImage(string property)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.vips_image_get_type());
        LibVips.g_object_get_property(operation, property, &value);
        var image = LibVips.g_value_get_object(&value);
        if (image != IntPtr.Zero) LibVips.g_object_ref(image);
        LibVips.g_value_unset(&value);
        return image != IntPtr.Zero ? new VipsImageHandle(image) : throw new VipsException(name, $"libvips {name} gave no image '{property}'");
    }

    public double GetDouble(string property)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.GTypeDouble);
        LibVips.g_object_get_property(operation, property, &value);
        var result = LibVips.g_value_get_double(&value);
        LibVips.g_value_unset(&value);
        return result;
    }

    public byte[] GetBlob(string property)
    {
        GValue value = default;
        LibVips.g_value_init(&value, LibVips.vips_blob_get_type());
        LibVips.g_object_get_property(operation, property, &value);
        try
        {
            var data = LibVips.vips_value_get_blob(&value, out var length);
            if (data == IntPtr.Zero) throw new VipsException(name, $"libvips {name} gave no bytes '{property}'");
            return new ReadOnlySpan<byte>((void*)data, checked((int)length)).ToArray();
        }
        finally { LibVips.g_value_unset(&value); }
    }

    public void Dispose()
    {
        if (operation == IntPtr.Zero) return;
        if (built) LibVips.vips_object_unref_outputs(operation);
        LibVips.g_object_unref(operation);
        operation = IntPtr.Zero;
    }
}
