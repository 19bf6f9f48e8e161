using System.Runtime.InteropServices;

namespace ContextDiffusion.Imaging.Vips;

/// <summary>One reference to a VipsImage, released with g_object_unref when disposed.</summary>
internal sealed class VipsImageHandle : SafeHandle
{
    /// <summary>Takes over a reference the caller already owns.</summary>
    public VipsImageHandle(IntPtr image) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(image);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>A second, independent reference to the same image.</summary>
    public VipsImageHandle AddReference() => new(NewReference());

    /// <summary>A new raw reference to the image, owned by the caller (or by the libvips object it is handed to).</summary>
    public IntPtr NewReference()
    {
        var added = false;
        DangerousAddRef(ref added);
        try { return LibVips.g_object_ref(handle); }
        finally { if (added) DangerousRelease(); }
    }

    /// <summary>
    /// Computes every pixel into a new memory image, or returns null when that fails (the reason is
    /// in the libvips error buffer). Decoding errors of a lazy loader surface here.
    /// </summary>
    public VipsImageHandle? TryCopyToMemory()
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            var copy = LibVips.vips_image_copy_memory(handle);
            return copy == IntPtr.Zero ? null : new VipsImageHandle(copy);
        }
        finally { if (added) DangerousRelease(); }
    }

    protected override bool ReleaseHandle()
    {
        LibVips.g_object_unref(handle);
        return true;
    }
}
