namespace ContextDiffusion.Model.Tests.Evaluation;

internal static class ValuesAssert
{
    /// <summary>Same length, and every value within <paramref name="tolerance"/> of the expected one.</summary>
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"value {i}: {actual[i]} != expected {expected[i]} (tolerance {tolerance})");
    }
}
