namespace ContextDiffusion.Model;

/// <summary>Where diffusion runs: on pixels (small models trained from scratch) or on VAE latents (SD-style).</summary>
public enum ModelSpace
{
    Pixel,
    Latent,
}
