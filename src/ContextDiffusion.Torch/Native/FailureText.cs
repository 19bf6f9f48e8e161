using System.Runtime.CompilerServices;

namespace ContextDiffusion.Torch.Native;

/// <summary>
/// An interpolated description of an operation, e.g. $"reshape to {ShapeText(shape)}", that is only
/// formatted when the native call failed: on the hot path (a handle came back, status 0) it costs
/// nothing, so every op can describe its arguments in its error message for free.
/// </summary>
[InterpolatedStringHandler]
internal ref struct FailureText
{
    private DefaultInterpolatedStringHandler text;

    public FailureText(int literalLength, int formattedCount, IntPtr result, out bool isFailure)
    {
        isFailure = result == IntPtr.Zero;
        text = isFailure ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public FailureText(int literalLength, int formattedCount, int status, out bool isFailure)
    {
        isFailure = status != 0;
        text = isFailure ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => text.AppendFormatted(value);

    public void AppendFormatted(ReadOnlySpan<char> value) => text.AppendFormatted(value);

    public override string ToString() => text.ToStringAndClear();
}
