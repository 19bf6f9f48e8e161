namespace ContextDiffusion.Torch.Tests.Optim;

/// <summary>
/// A two-layer perceptron built by hand (until the nn layers exist) and its regression data: enough
/// model to train, resume and accumulate gradients in the optimizer tests. Everything is derived from
/// seeds, so two instances built alike are equal to the bit.
/// </summary>
internal sealed class TinyMlp : IDisposable
{
    public const int Inputs = 4, Hidden = 8, Outputs = 2, Rows = 64, BatchSize = 8;

    public TinyMlp(int seed)
    {
        var random = new Random(seed);
        Parameters = DisposeScope.Outside(() => new List<(string Name, Tensor Tensor)>
        {
            ("layer1.weight", RandomTensor(random, 0.5, Inputs, Hidden).RequiresGrad_()),
            ("layer1.bias", RandomTensor(random, 0.1, Hidden).RequiresGrad_()),
            ("layer2.weight", RandomTensor(random, 0.5, Hidden, Outputs).RequiresGrad_()),
            ("layer2.bias", RandomTensor(random, 0.1, Outputs).RequiresGrad_()),
        });
    }

    public List<(string Name, Tensor Tensor)> Parameters { get; }

    public Tensor Forward(Tensor x)
    {
        var (w1, b1, w2, b2) = (Parameters[0].Tensor, Parameters[1].Tensor, Parameters[2].Tensor, Parameters[3].Tensor);
        return (x.MatMul(w1) + b1).Tanh().MatMul(w2) + b2;
    }

    public Tensor Loss(Tensor x, Tensor y) => (Forward(x) - y).Square().Mean();

    /// <summary>Batch <paramref name="step"/> of the data set: inputs and targets of a smooth function of them.</summary>
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

    public void Dispose()
    {
        foreach (var (_, tensor) in Parameters) tensor.Dispose();
    }

    private static Tensor RandomTensor(Random random, double scale, params long[] shape)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * scale);
        return Tensor.From(values, shape);
    }
}
