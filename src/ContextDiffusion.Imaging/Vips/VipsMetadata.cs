using System.Runtime.InteropServices;

namespace ContextDiffusion.Imaging.Vips;

/// <summary>Named metadata fields of a VipsImage (EXIF, ICC profile, PNG comments, ...).</summary>
internal static class VipsMetadata
{
    public static List<string> FieldNames(VipsImageHandle image)
    {
        var names = new List<string>();
        var list = LibVips.vips_image_get_fields(image.DangerousGetHandle());
        if (list == IntPtr.Zero) return names;
        try
        {
            for (var i = 0; Marshal.ReadIntPtr(list, i * IntPtr.Size) is var name && name != IntPtr.Zero; i++)
                names.Add(Marshal.PtrToStringUTF8(name)!);
        }
        finally { LibVips.g_strfreev(list); }
        return names;
    }

    public static string? GetString(VipsImageHandle image, string name) =>
        LibVips.vips_image_get_string(image.DangerousGetHandle(), name, out var value) == 0 ? Marshal.PtrToStringUTF8(value) : null;

    /// <summary>Sets a field. Only on an image this code has just made and not yet shared: libvips images are otherwise immutable.</summary>
    public static void SetString(VipsImageHandle image, string name, string value) =>
        LibVips.vips_image_set_string(image.DangerousGetHandle(), name, value);

    /// <summary>Removes every removable field (the basic ones such as width stay). Same rule as <see cref="SetString"/>.</summary>
    public static void RemoveAll(VipsImageHandle image)
    {
        foreach (var name in FieldNames(image)) LibVips.vips_image_remove(image.DangerousGetHandle(), name);
    }
}
