namespace ContextDiffusion.Contracts;

/// <summary>
/// An evaluation's figures: the model's mean RMSE, SSIM and PSNR against the true photos of the held-out
/// items, the copy and mean baselines on the same items, the share of context-sensitive items, and FID or
/// why it is unavailable (it needs Inception weights, which cannot be downloaded here).
/// </summary>
public sealed record EvaluationMetrics(
    int Items, double Rmse, double Ssim, double Psnr,
    double BaselineCopyRmse, double BaselineMeanRmse, double BaselineCopySsim, double BaselineMeanSsim,
    double ContextSensitivity, double? Fid, string? FidUnavailableReason);
