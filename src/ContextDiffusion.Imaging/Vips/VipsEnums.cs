namespace ContextDiffusion.Imaging.Vips;

// Values of the libvips 8.14 C enums this project passes to operations (vips/*.h).

internal enum VipsBandFormat { UChar = 0, Float = 6 }

internal enum VipsInterpretation { BW = 1, Srgb = 22 }

/// <summary>VIPS_FAIL_ON_*: each level includes the ones before it.</summary>
internal enum VipsFailOn { None = 0, Truncated = 1, Error = 2, Warning = 3 }

internal enum VipsDirection { Horizontal = 0, Vertical = 1 }

internal enum VipsExtend { Background = 5 }

internal enum VipsCompassDirection { Centre = 0 }

internal enum VipsRelational { MoreEq = 5 }
