namespace ContextDiffusion.Torch.Tests.Parity;

public sealed class CoreParityTests : IDisposable
{
    private readonly ParityFixture fixture = ParityFixture.Open("core");

    private static readonly string[] UnaryNames =
    [
        "exp", "log", "sqrt", "rsqrt", "reciprocal", "neg", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
        "silu", "gelu", "gelu_tanh", "square", "erf",
    ];

    public static TheoryData<string> UnaryCases => new(UnaryNames);

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary(string name) => fixture.Check(name, x => name switch
    {
        "exp" => x[0].Exp(),
        "log" => x[0].Log(),
        "sqrt" => x[0].Sqrt(),
        "rsqrt" => x[0].Rsqrt(),
        "reciprocal" => x[0].Reciprocal(),
        "neg" => -x[0],
        "abs" => x[0].Abs(),
        "sin" => x[0].Sin(),
        "cos" => x[0].Cos(),
        "tanh" => x[0].Tanh(),
        "sigmoid" => x[0].Sigmoid(),
        "relu" => x[0].Relu(),
        "silu" => x[0].Silu(),
        "gelu" => x[0].Gelu(),
        "gelu_tanh" => x[0].Gelu(tanhApproximation: true),
        "square" => x[0].Square(),
        "erf" => x[0].Erf(),
        _ => throw new ArgumentException(name),
    });

    [Fact] public void Add_broadcast() => fixture.Check("add_broadcast", x => x[0] + x[1]);
    [Fact] public void Sub() => fixture.Check("sub", x => x[0] - x[1]);
    [Fact] public void Mul() => fixture.Check("mul", x => x[0] * x[1]);
    [Fact] public void Div() => fixture.Check("div", x => x[0] / x[1]);
    [Fact] public void Pow() => fixture.Check("pow", x => x[0].Pow(3.0));
    [Fact] public void Scalar_ops() => fixture.Check("scalar_ops", x => (2.0 - x[0]) * 0.5 + 1.0);
    [Fact] public void Maximum() => fixture.Check("maximum", x => x[0].Maximum(x[1]));
    [Fact] public void Matmul() => fixture.Check("matmul", x => x[0].MatMul(x[1]));
    [Fact] public void Matmul_batched() => fixture.Check("matmul_batched", x => x[0].MatMul(x[1]));
    [Fact] public void Sum_all() => fixture.Check("sum_all", x => x[0].Sum());
    [Fact] public void Sum_dim() => fixture.Check("sum_dim", x => x[0].Sum(1, keepDim: true));
    [Fact] public void Mean_dims() => fixture.Check("mean_dims", x => x[0].Mean([0, 2]));
    [Fact] public void Amax_dim() => fixture.Check("amax_dim", x => x[0].Amax([0]));
    [Fact] public void Reshape_permute() => fixture.Check("reshape_permute", x => x[0].Reshape(2, 6, 2).Permute(2, 0, 1).Contiguous());
    [Fact] public void Transpose() => fixture.Check("transpose", x => x[0].Transpose(0, 1) * 2.0);

    [Fact]
    public void Every_case_in_the_fixture_has_a_test()
    {
        var tested = UnaryNames.Concat(
        [
            "add_broadcast", "sub", "mul", "div", "pow", "scalar_ops", "maximum", "matmul", "matmul_batched",
            "sum_all", "sum_dim", "mean_dims", "amax_dim", "reshape_permute", "transpose",
        ]);
        Assert.Empty(fixture.Cases.Except(tested));
    }

    public void Dispose() => fixture.Dispose();
}
