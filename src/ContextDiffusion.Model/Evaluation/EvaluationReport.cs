using System.Globalization;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// An evaluation's figures: the model's mean RMSE, SSIM and PSNR against the true photos, the same for the
/// copy and mean baselines, the share of context-sensitive items, and FID or why it is unavailable.
/// </summary>
public sealed record EvaluationReport(
    int Items, double Rmse, double Ssim, double Psnr,
    double BaselineCopyRmse, double BaselineMeanRmse, double BaselineCopySsim, double BaselineMeanSsim,
    double ContextSensitivity, double? Fid, string? FidUnavailableReason)
{
    /// <summary>The one line `cdiff eval` prints.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"eval: items={Items} rmse={Rmse:F4} ssim={Ssim:F4} psnr={Psnr:F2} baseline_copy_rmse={BaselineCopyRmse:F4} " +
        $"baseline_mean_rmse={BaselineMeanRmse:F4} baseline_copy_ssim={BaselineCopySsim:F4} baseline_mean_ssim={BaselineMeanSsim:F4} " +
        $"context_sensitivity={ContextSensitivity:F3} fid={(Fid is { } fid ? fid.ToString("F2", CultureInfo.InvariantCulture) : "unavailable")}");
}
