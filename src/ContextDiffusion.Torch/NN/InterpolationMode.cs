namespace ContextDiffusion.Torch.NN;

/// <summary>The resampling of <see cref="Functional.Interpolate"/>. The codes mirror nn_functional.cpp.</summary>
public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
}
