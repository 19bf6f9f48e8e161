using System.Runtime.InteropServices;

namespace ContextDiffusion.Imaging.Vips;

/// <summary>
/// GLib's GValue: a GType followed by a two-word union (24 bytes on 64-bit Linux). It must be
/// zeroed before g_value_init and released with g_value_unset; only ever used on the stack.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GValue
{
    private nuint type;
    private ulong data0;
    private ulong data1;
}
