namespace ContextDiffusion.Scheduler;

/// <summary>
/// Configuration section "Scheduler:Promotion": what a retrained version must beat to replace the promoted
/// one, compared on the same dataset version. Shown by GET /v1/promotion-policy and in every decision.
/// </summary>
public sealed class PromotionPolicyOptions
{
    public bool RequireLowerRmse { get; set; } = true;
    public bool RequireHigherSsim { get; set; } = true;

    /// <summary>How much lower the RMSE must be (0: any improvement).</summary>
    public double MinRmseImprovement { get; set; }

    /// <summary>How much higher the SSIM must be (0: any improvement).</summary>
    public double MinSsimImprovement { get; set; }
}
