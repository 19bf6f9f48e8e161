namespace ContextDiffusion.Model.Encoders;

/// <summary>The value range of an image tensor: black is the lower bound, white the upper.</summary>
public enum PixelRange
{
    /// <summary>[0, 1], as images are usually stored.</summary>
    ZeroToOne,

    /// <summary>[-1, 1], as the VAE takes and gives images.</summary>
    MinusOneToOne,
}
