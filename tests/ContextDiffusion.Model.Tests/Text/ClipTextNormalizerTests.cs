using ContextDiffusion.Model.Text;

namespace ContextDiffusion.Model.Tests.Text;

public class ClipTextNormalizerTests
{
    [Theory]
    [InlineData("  Hello \t\n  WORLD  ", "hello world")]
    [InlineData("a\r\nb", "a b")]
    [InlineData("a\u00A0b\u2003c\u3000d\u2028e", "a b c d e")] // Unicode spaces
    [InlineData("a\u001Cb\u001Fc", "a b c")]                   // information separators are whitespace to Python
    [InlineData("ÀÉÎ Привет", "àéî привет")]
    [InlineData("", "")]
    [InlineData(" \t\n ", "")]
    public void CollapsesWhiteSpaceStripsAndLowerCases(string text, string expected) =>
        Assert.Equal(expected, ClipTextNormalizer.Normalize(text));

    [Theory]
    [InlineData("\u001C a \u001F", "a")]
    [InlineData("a  b", "a  b")]
    public void StripRemovesPythonWhiteSpaceAtBothEndsOnly(string text, string expected) =>
        Assert.Equal(expected, ClipTextNormalizer.Strip(text));
}
