using System.Runtime.InteropServices;

namespace ContextDiffusion.Imaging.Vips;

/// <summary>
/// The parts of the libvips, GObject and GLib C APIs this project calls. Only non-variadic
/// functions are declared: every libvips operation is run through the generic VipsOperation API
/// (see <see cref="VipsOperation"/>), never through the NULL-terminated varargs wrappers such as
/// vips_resize(in, &amp;out, scale, ...). Calling those through P/Invoke would need the x86-64 SysV
/// varargs convention (%al holding the count of vector registers, doubles in XMM registers), which
/// .NET does not produce, so optional double arguments would be read as garbage.
/// </summary>
internal static partial class LibVips
{
    internal const string Vips = "libvips.so.42";
    internal const string GObject = "libgobject-2.0.so.0";
    internal const string GLib = "libglib-2.0.so.0";

    // GType ids of GLib's fundamental types: G_TYPE_MAKE_FUNDAMENTAL(n) = n << 2, a stable ABI.
    internal const nuint GTypeBoolean = 5 << 2;
    internal const nuint GTypeInt = 6 << 2;
    internal const nuint GTypeDouble = 15 << 2;

    // ---- runtime ----
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vips_init(string argv0);
    [LibraryImport(Vips)] internal static partial void vips_cache_set_max(int max);
    [LibraryImport(Vips)] internal static partial void vips_cache_set_max_mem(nuint maxBytes);
    [LibraryImport(Vips)] internal static partial void vips_concurrency_set(int concurrency);
    [LibraryImport(Vips)] internal static partial void vips_block_untrusted_set(int state);

    // ---- errors ----
    [LibraryImport(Vips)] internal static partial IntPtr vips_error_buffer_copy();

    // ---- operations ----
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr vips_operation_new(string name);
    [LibraryImport(Vips)] internal static partial int vips_cache_operation_buildp(ref IntPtr operation);
    [LibraryImport(Vips)] internal static partial int vips_object_build(IntPtr vipsObject);
    [LibraryImport(Vips)] internal static partial void vips_object_unref_outputs(IntPtr vipsObject);

    // ---- images ----
    [LibraryImport(Vips)] internal static partial nuint vips_image_get_type();
    [LibraryImport(Vips)] internal static partial int vips_image_get_width(IntPtr image);
    [LibraryImport(Vips)] internal static partial int vips_image_get_height(IntPtr image);
    [LibraryImport(Vips)] internal static partial int vips_image_get_bands(IntPtr image);
    [LibraryImport(Vips)] internal static partial int vips_image_get_format(IntPtr image);
    [LibraryImport(Vips)] internal static partial int vips_image_guess_interpretation(IntPtr image);
    [LibraryImport(Vips)] internal static partial int vips_image_hasalpha(IntPtr image);
    [LibraryImport(Vips)] internal static partial IntPtr vips_image_copy_memory(IntPtr image);
    [LibraryImport(Vips)] internal static partial IntPtr vips_image_write_to_memory(IntPtr image, out nuint size);
    [LibraryImport(Vips)] internal static unsafe partial IntPtr vips_image_new_from_memory_copy(void* data, nuint size, int width, int height, int bands, int format);

    // ---- image metadata ----
    [LibraryImport(Vips)] internal static partial IntPtr vips_image_get_fields(IntPtr image);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vips_image_get_string(IntPtr image, string name, out IntPtr value);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial void vips_image_set_string(IntPtr image, string name, string value);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial void vips_image_set_int(IntPtr image, string name, int value);
    [LibraryImport(Vips, StringMarshalling = StringMarshalling.Utf8)] internal static partial int vips_image_remove(IntPtr image, string name);

    // ---- boxed argument values ----
    [LibraryImport(Vips)] internal static partial nuint vips_blob_get_type();
    [LibraryImport(Vips)] internal static partial nuint vips_array_double_get_type();
    [LibraryImport(Vips)] internal static partial nuint vips_array_image_get_type();
    [LibraryImport(Vips)] internal static unsafe partial void vips_value_set_blob_free(GValue* value, IntPtr data, nuint length);
    [LibraryImport(Vips)] internal static unsafe partial IntPtr vips_value_get_blob(GValue* value, out nuint length);
    [LibraryImport(Vips)] internal static unsafe partial void vips_value_set_array_double(GValue* value, double* array, int n);
    [LibraryImport(Vips)] internal static unsafe partial void vips_value_set_array_image(GValue* value, int n);
    [LibraryImport(Vips)] internal static unsafe partial IntPtr* vips_value_get_array_image(GValue* value, out int n);

    // ---- GObject ----
    [LibraryImport(GObject)] internal static partial IntPtr g_object_ref(IntPtr gObject);
    [LibraryImport(GObject)] internal static partial void g_object_unref(IntPtr gObject);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] internal static unsafe partial void g_object_set_property(IntPtr gObject, string name, GValue* value);
    [LibraryImport(GObject, StringMarshalling = StringMarshalling.Utf8)] internal static unsafe partial void g_object_get_property(IntPtr gObject, string name, GValue* value);
    [LibraryImport(GObject)] internal static unsafe partial GValue* g_value_init(GValue* value, nuint gType);
    [LibraryImport(GObject)] internal static unsafe partial void g_value_unset(GValue* value);
    [LibraryImport(GObject)] internal static unsafe partial void g_value_set_boolean(GValue* value, int v);
    [LibraryImport(GObject)] internal static unsafe partial void g_value_set_int(GValue* value, int v);
    [LibraryImport(GObject)] internal static unsafe partial void g_value_set_double(GValue* value, double v);
    [LibraryImport(GObject)] internal static unsafe partial void g_value_set_object(GValue* value, IntPtr gObject);
    [LibraryImport(GObject)] internal static unsafe partial IntPtr g_value_get_object(GValue* value);
    [LibraryImport(GObject)] internal static unsafe partial double g_value_get_double(GValue* value);

    // ---- GLib ----
    [LibraryImport(GLib)] internal static partial IntPtr g_malloc(nuint size);
    [LibraryImport(GLib)] internal static partial void g_free(IntPtr memory);
    [LibraryImport(GLib)] internal static partial void g_strfreev(IntPtr strings);
}
