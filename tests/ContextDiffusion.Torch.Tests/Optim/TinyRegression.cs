using ContextDiffusion.Torch.NN;

namespace ContextDiffusion.Torch.Tests.Optim;

/// <summary>
/// A small perceptron and its regression data: enough model to train, resume and accumulate gradients
/// in the optimizer tests. Weights come from a seed and batches from their step number, so two runs
/// built alike are equal to the bit.
/// </summary>
internal static class TinyRegression
{
    public const int Inputs = 4, Outputs = 2, BatchSize = 8;

    public static Sequential CreateModel(ulong seed)
    {
        Torch.ManualSeed(seed);
        return new Sequential(new Linear(Inputs, 16), new SiLU(), new Linear(16, Outputs));
    }

    public static Tensor Loss(Sequential model, Tensor x, Tensor y) => Functional.MseLoss(model.Forward(x), y);

    /// <summary>Batch <paramref name="step"/> of the data set: inputs and targets that are a smooth function of them.</summary>
    public static (Tensor X, Tensor Y) Batch(int step)
    {
        var random = new Random(1000 + step);
        var x = new float[BatchSize * Inputs];
        var y = new float[BatchSize * Outputs];
        for (var r = 0; r < BatchSize; r++)
        {
            for (var c = 0; c < Inputs; c++) x[r * Inputs + c] = (float)(random.NextDouble() * 2 - 1);
            y[r * Outputs] = MathF.Sin(x[r * Inputs] + x[r * Inputs + 1]);
            y[r * Outputs + 1] = x[r * Inputs + 2] * x[r * Inputs + 3];
        }
        return (Tensor.From(x, BatchSize, Inputs), Tensor.From(y, BatchSize, Outputs));
    }
}
