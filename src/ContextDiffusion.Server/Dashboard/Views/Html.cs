using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;

namespace ContextDiffusion.Server.Dashboard.Views;

/// <summary>
/// A piece of markup that is safe to write as is. Pages are built from interpolated strings whose holes are
/// HTML-encoded unless they are <see cref="Html"/> themselves (or sequences of it): a batch name, an error
/// text or a prompt typed by a user can never become markup, and no view has to remember to encode.
/// </summary>
public readonly struct Html
{
    private readonly string? value;

    private Html(string value) => this.value = value;

    public static Html Empty => default;

    /// <summary>Markup built from an interpolated string; every hole is encoded unless it is <see cref="Html"/>.</summary>
    public static Html Of(ref Builder builder) => new(builder.ToString());

    /// <summary>Markup the caller vouches for (a constant, an SVG path computed from numbers).</summary>
    public static Html Raw(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.value)));

    /// <summary><paramref name="html"/> when <paramref name="condition"/> holds, nothing otherwise.</summary>
    public static Html If(bool condition, Html html) => condition ? html : Empty;

    public override string ToString() => value ?? "";

    [InterpolatedStringHandler]
    public ref struct Builder
    {
        private readonly StringBuilder text;

        public Builder(int literalLength, int formattedCount) => text = new StringBuilder(literalLength + formattedCount * 16);

        public void AppendLiteral(string literal) => text.Append(literal);

        /// <summary>One method for every hole: a generic overload would win over Html and IEnumerable&lt;Html&gt; ones for a List&lt;Html&gt;.</summary>
        public void AppendFormatted<T>(T value)
        {
            switch (value)
            {
                case Html html:
                    text.Append(html.value);
                    break;
                case IEnumerable<Html> parts:
                    foreach (var part in parts) text.Append(part.value);
                    break;
                default:
                    text.Append(HtmlEncoder.Default.Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
                    break;
            }
        }

        /// <summary>A formatted number or date ({loss:0.0000}); a null value writes nothing.</summary>
        public void AppendFormatted<T>(T value, string? format) =>
            text.Append(HtmlEncoder.Default.Encode(value is IFormattable formattable ? formattable.ToString(format, CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));

        public override string ToString() => text.ToString();
    }
}
