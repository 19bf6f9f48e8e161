using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Tests.Encoders;

internal static class TensorAssert
{
    /// <summary>Same shape, and max |actual - expected| / max |expected| within <paramref name="tolerance"/>: the parity measure.</summary>
    public static void Close(Tensor expected, Tensor actual, double tolerance = 1e-4, string what = "tensor")
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape [{string.Join(", ", actual.Shape)}] != expected [{string.Join(", ", expected.Shape)}]");
        using var scope = DisposeScope.Enter();
        var e = expected.Detach().To(Device.Cpu, DType.Float64);
        var a = actual.Detach().To(Device.Cpu, DType.Float64);
        var maxDifference = (a - e).Abs().Amax().Item();
        var error = maxDifference / Math.Max(e.Abs().Amax().Item(), 1e-6);
        Assert.True(error <= tolerance, $"{what}: relative error {error:E2} > {tolerance:E0} (max difference {maxDifference:E2})");
    }

    public static void Equal(Tensor expected, Tensor actual) => Close(expected, actual, 0);

    /// <summary>Asserts that the tensors differ somewhere by more than rounding.</summary>
    public static void Different(Tensor a, Tensor b)
    {
        using var scope = DisposeScope.Enter();
        Assert.True((a - b).Abs().Amax().Item() > 1e-4, "the tensors are equal");
    }

    /// <summary>
    /// Runs <paramref name="body"/> a few times and asserts that <see cref="Tensor.LiveCount"/> is the same after
    /// each run. Tensors that earlier tests left to the finalizer are finalized first, so that they cannot move
    /// the process-wide count in the middle.
    /// </summary>
    public static void NoLeaks(Action body)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long? live = null;
        for (var i = 0; i < 3; i++)
        {
            body();
            live ??= Tensor.LiveCount;
            Assert.Equal(live, Tensor.LiveCount);
        }
    }
}
