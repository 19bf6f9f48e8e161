namespace ContextDiffusion.Torch.NN;

/// <summary>How <see cref="Functional.Pad"/> fills the border. The codes mirror nn_functional.cpp.</summary>
public enum PaddingMode
{
    /// <summary>A constant value.</summary>
    Constant = 0,
    /// <summary>The mirror image of the input, without repeating the edge.</summary>
    Reflect = 1,
    /// <summary>Repeats the edge value.</summary>
    Replicate = 2,
}
