using System.Runtime.InteropServices;

namespace ContextDiffusion.Imaging.Vips;

internal static class VipsErrors
{
    /// <summary>
    /// Takes libvips' error text and clears it. In libvips 8.14 the error buffer is one process-wide
    /// log behind a lock, not per thread: vips_error_buffer_copy reads and clears it in one locked
    /// step, so each message is reported once, though under concurrent failures a message may land
    /// in another thread's exception. Exceptions therefore name their input and operation themselves
    /// and treat this text as detail only.
    /// </summary>
    public static string Take()
    {
        var copy = LibVips.vips_error_buffer_copy();
        if (copy == IntPtr.Zero) return "";
        try { return (Marshal.PtrToStringUTF8(copy) ?? "").Trim(); }
        finally { LibVips.g_free(copy); }
    }

    public static VipsException Failure(string operation, string what) =>
        new(operation, Take() is { Length: > 0 } detail ? $"{what}: {detail}" : what);
}
