namespace ContextDiffusion.Torch.NN;

/// <summary>How a loss reduces its elementwise values. The codes are libtorch's at::Reduction.</summary>
public enum Reduction
{
    /// <summary>Keep one value per element.</summary>
    None = 0,
    Mean = 1,
    Sum = 2,
}
