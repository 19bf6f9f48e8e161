using ContextDiffusion.Server.Http;

namespace ContextDiffusion.Pipeline.Tests.Server;

/// <summary>Text from a request: NUL and lone surrogates are named as problems, and made storable for a failed item's record.</summary>
public sealed class RequestTextTests
{
    [Theory]
    [InlineData("plain", null)]
    [InlineData("emoji \U0001F600 pair", null)]
    [InlineData("a\0b", "prompt: contains a NUL character")]
    public void Problems_are_named(string value, string? expected) => Assert.Equal(expected, RequestText.Problem("prompt", value));

    /// <summary>Built in code: an attribute's string is stored as UTF-8, where a lone surrogate cannot survive.</summary>
    [Fact]
    public void Lone_surrogates_are_named()
    {
        foreach (var surrogate in new[] { (char)0xD800, (char)0xDC00 })
            Assert.Equal("prompt: is not valid Unicode (it holds a lone surrogate)", RequestText.Problem("prompt", $"lone {surrogate} one"));
    }

    [Fact]
    public void Storable_text_replaces_only_what_cannot_be_stored()
    {
        var high = (char)0xD800;
        var low = (char)0xDC00;
        Assert.Equal("a\uFFFDb \U0001F600 \uFFFD", RequestText.Storable($"a\0b \U0001F600 {high}"));
        Assert.Null(RequestText.Problem("x", RequestText.Storable($"{low}{high}\0")));
    }
}
