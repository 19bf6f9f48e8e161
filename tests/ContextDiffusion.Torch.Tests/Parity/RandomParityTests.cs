namespace ContextDiffusion.Torch.Tests.Parity;

/// <summary>
/// Seeded sampling against PyTorch's CPU generator. One case reseeds and draws from libtorch's
/// process-wide default generator: exact only because test classes do not run concurrently here
/// (AssemblySettings.cs).
/// </summary>
public sealed class RandomParityTests : IDisposable
{
    private readonly ParityFixture fixture = ParityFixture.Open("random");

    // Each case's first input is the seed of a fresh generator.
    private static Tensor[] Seeded(Tensor seed, Func<Generator, Tensor[]> draw)
    {
        using var generator = new Generator((ulong)seed.Item());
        return draw(generator);
    }

    private static readonly Dictionary<string, Func<Tensor[], Tensor[]>> Cases = new()
    {
        ["randn"] = x => Seeded(x[0], g => [Tensor.Randn([4, 5], g)]),
        ["randn_small"] = x => Seeded(x[0], g => [Tensor.Randn([7], g)]),
        ["randn_float64"] = x => Seeded(x[0], g => [Tensor.Randn([3, 7], g, DType.Float64)]),
        ["rand"] = x => Seeded(x[0], g => [Tensor.Rand([2, 9], g)]),
        ["randint"] = x => Seeded(x[0], g => [Tensor.RandInt(-3, 10, [20], g)]),
        ["randperm"] = x => Seeded(x[0], g => [Tensor.Randperm(10, g)]),
        ["normal_scalar"] = x => Seeded(x[0], g => [Tensor.Normal(2.0, 0.5, [30], g)]),
        ["normal_tensor"] = x => Seeded(x[0], g => [Tensor.Normal(x[1], x[2], g)]),
        ["uniform_"] = x => Seeded(x[0], g => [Tensor.Empty([25]).UniformInPlace(-2.0, 3.0, g)]),
        ["bernoulli"] = x => Seeded(x[0], g => [x[1].Bernoulli(g)]),
        ["multinomial"] = x =>
        [
            .. Seeded(x[0], g => [x[1].Multinomial(3, generator: g)]),
            .. Seeded(x[0], g => [x[1].Multinomial(10, replacement: true, generator: g)]),
        ],
        ["sequence"] = x => Seeded(x[0], g => [Tensor.Randn([3], g), Tensor.Rand([3], g), Tensor.Randn([17], g)]),
        ["state_after_draws"] = x => Seeded(x[0], g =>
        {
            Tensor.Randn([5], g);
            return [Tensor.From(g.GetState())];
        }),
        ["default_generator"] = x =>
        {
            Torch.ManualSeed((ulong)x[0].Item());
            return [Tensor.Randn([6]), Tensor.Rand([3])];
        },
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_pytorch(string name) => fixture.Check(name, Cases[name]);

    [Fact]
    public void Every_case_in_the_fixture_has_a_test() => Assert.Empty(fixture.Cases.Except(Cases.Keys));

    public void Dispose() => fixture.Dispose();
}
