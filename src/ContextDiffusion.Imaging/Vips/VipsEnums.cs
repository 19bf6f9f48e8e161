namespace ContextDiffusion.Imaging.Vips;

// Values of the libvips 8.14 C enums this project passes to operations (vips/*.h).

internal enum VipsBandFormat { UChar = 0, UShort = 2, Float = 6 }

internal enum VipsInterpretation { Multiband = 0, BW = 1, Srgb = 22, Rgb16 = 25, Grey16 = 26 }

internal enum VipsAccess { Random = 0, Sequential = 1 }

internal enum VipsFailOn { None = 0, Truncated = 1, Error = 2, Warning = 3 }

internal enum VipsDirection { Horizontal = 0, Vertical = 1 }

internal enum VipsExtend { Background = 5 }

internal enum VipsCompassDirection { Centre = 0 }

internal enum VipsAlign { Low = 0, Centre = 1 }

internal enum VipsRelational { MoreEq = 5 }
