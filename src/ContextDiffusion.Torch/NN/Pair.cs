namespace ContextDiffusion.Torch.NN;

/// <summary>
/// The (height, width) values of a 2-D op's kernel size, stride, padding or dilation. As in PyTorch,
/// one integer stands for both: <c>stride: 2</c> or <c>padding: (1, 0)</c>.
/// </summary>
public readonly record struct Pair(long Height, long Width)
{
    public static implicit operator Pair(long both) => new(both, both);

    public static implicit operator Pair((long Height, long Width) pair) => new(pair.Height, pair.Width);

    public override string ToString() => $"({Height}, {Width})";
}
