namespace ContextDiffusion.Torch.Tests.Parity;

public sealed class TensorParityTests : IDisposable
{
    private readonly ParityFixture fixture = ParityFixture.Open("tensor");

    private static Tensor[] Pair((Tensor Values, Tensor Indices) result) => [result.Values, result.Indices];

    // Case name -> the C# computation. Every case of the fixture must be here (see the last test).
    private static readonly Dictionary<string, Func<Tensor[], Tensor[]>> Cases = new()
    {
        ["unsqueeze"] = x => [x[0].Unsqueeze(1)],
        ["squeeze_all"] = x => [x[0].Squeeze()],
        ["squeeze_dim"] = x => [x[0].Squeeze(-1)],
        ["flatten"] = x => [x[0].Flatten(1, 2)],
        ["expand"] = x => [x[0].Expand(2, 3, 4)],
        ["repeat"] = x => [x[0].Repeat(2, 1, 3)],
        ["flip"] = x => [x[0].Flip(0, 1)],
        ["roll"] = x => [x[0].Roll([1, -2], [0, 1])],
        ["cat"] = x => [Tensor.Cat([x[0], x[1]], 0)],
        ["cat_last_dim"] = x => [Tensor.Cat([x[0], x[1]], -1)],
        ["stack"] = x => [Tensor.Stack([x[0], x[1]], 1)],
        ["chunk"] = x => x[0].Chunk(3, 0),
        ["split_size"] = x => x[0].Split(2, 1),
        ["split_sizes"] = x => x[0].Split([1, 2, 3], 0),

        ["select"] = x => [x[0].Select(1, -1)],
        ["narrow"] = x => [x[0].Narrow(1, 1, 2)],
        ["slice_step"] = x => [x[0].Slice(1, start: 1, step: 2)],
        ["slice_negative"] = x => [x[0].Slice(0, -3, -1)],
        ["index_select"] = x => [x[0].IndexSelect(0, x[1])],
        ["gather"] = x => [x[0].Gather(1, x[1])],
        ["masked_fill"] = x => [x[0].MaskedFill(x[0].Gt(0.5), -1e4)],
        ["where"] = x => [Tensor.Where(x[0].Gt(x[1]), x[0], x[1] * 2.0)],
        ["index_rows"] = x => [x[0].Index(x[1])],
        ["index_mask"] = x => [x[0].Index(x[0].Gt(0))],
        ["index_second_dim"] = x => [x[0].Index(null, x[1])],
        ["index_put_accumulate"] = x => [x[0].IndexPut([x[2]], x[1], accumulate: true)],
        ["index_put_pairs"] = x => [x[0].IndexPut([x[2], x[3]], x[1])],

        ["clamp"] = x => [x[0].Clamp(-0.5, 0.5)],
        ["clamp_min"] = x => [x[0].Clamp(min: 0.1)],
        ["clamp_tensor"] = x => [x[0].Clamp(x[1], x[2])],
        ["lerp_scalar"] = x => [x[0].Lerp(x[1], 0.3)],
        ["lerp_tensor"] = x => [x[0].Lerp(x[1], x[2])],

        ["max_dim"] = x => Pair(x[0].Max(1)),
        ["min_dim_keepdim"] = x => Pair(x[0].Min(0, keepDim: true)),
        ["argmax_all"] = x => [x[0].Argmax()],
        ["argmin_dim"] = x => [x[0].Argmin(1, keepDim: true)],
        ["var_dims"] = x => [x[0].Var([0, 2])],
        ["var_biased_all"] = x => [x[0].Var(unbiased: false)],
        ["std_dim_keepdim"] = x => [x[0].Std(1, keepDim: true)],
        ["std_all"] = x => [x[0].Std()],
        ["norm_frobenius"] = x => [x[0].Norm()],
        ["norm_dim"] = x => [x[0].Norm(2, [1], keepDim: true)],
        ["norm_p1"] = x => [x[0].Norm(1, [0])],
        ["logsumexp_dim"] = x => [x[0].LogSumExp(1)],
        ["logsumexp_all"] = x => [x[0].LogSumExp()],
        ["cumsum"] = x => [x[0].Cumsum(1)],
        ["all_any"] = x => [x[0].Gt(-3).All(), x[0].Gt(1).Any(1), x[0].Gt(0).All(0, keepDim: true)],

        ["bmm"] = x => [x[0].Bmm(x[1])],
        ["baddbmm"] = x => [x[0].Baddbmm(x[1], x[2], beta: 0.5, alpha: 2.0)],
        ["outer"] = x => [x[0].Outer(x[1])],
        ["linspace"] = x => [Tensor.Linspace(-1.3, 2.7, (long)x[0].Item())],
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Matches_pytorch(string name) => fixture.Check(name, Cases[name]);

    [Fact]
    public void Every_case_in_the_fixture_has_a_test() => Assert.Empty(fixture.Cases.Except(Cases.Keys));

    public void Dispose() => fixture.Dispose();
}
