namespace ContextDiffusion.Model.Schedulers;

/// <summary>How the noise variances beta_t grow over the training timesteps.</summary>
public enum BetaSchedule
{
    /// <summary>beta_t evenly spaced from start to end (DDPM).</summary>
    Linear,

    /// <summary>sqrt(beta_t) evenly spaced, then squared (Stable Diffusion).</summary>
    ScaledLinear,
}
