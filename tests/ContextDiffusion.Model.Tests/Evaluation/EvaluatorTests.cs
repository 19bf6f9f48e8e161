using ContextDiffusion.Imaging;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Evaluation;
using ContextDiffusion.Model.Sampling;

namespace ContextDiffusion.Model.Tests.Evaluation;

public sealed class EvaluatorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("evaluator-tests").FullName;

    [Fact]
    public void Evaluates_held_out_items_with_baselines_sensitivity_and_a_grid()
    {
        Torch.Torch.ManualSeed(2);
        using var model = ModelDirectory.Create(ModelPresets.Get("tiny"), folder);
        var options = new EvaluationOptions { Limit = 3, BatchSize = 2, GridItems = 2, Generation = new GenerationSettings { Steps = 1 } };
        Image? grid = null;
        var report = new Evaluator(model, options).Run(DatasetManifest.Load(SharedData.Folder), image => grid = image.Materialize());

        Assert.Equal(3, report.Items);
        Assert.InRange(report.Rmse, 0, 1);
        Assert.InRange(report.BaselineMeanRmse, 0, report.BaselineCopyRmse * 2);
        Assert.InRange(report.ContextSensitivity, 0, 1);
        Assert.Null(report.Fid);
        Assert.Contains("no Inception checkpoint", report.FidUnavailableReason, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"^eval: items=3 rmse=\d\.\d{4} ssim=-?\d\.\d{4} psnr=\d+\.\d{2} baseline_copy_rmse=\d\.\d{4} baseline_mean_rmse=\d\.\d{4} " +
                       @"baseline_copy_ssim=-?\d\.\d{4} baseline_mean_ssim=-?\d\.\d{4} context_sensitivity=\d\.\d{3} fid=unavailable$", report.ToLine());
        // Two rows: query | 3 contexts | output | truth.
        Assert.NotNull(grid);
        Assert.True(grid!.Width > grid.Height);
        grid.Dispose();
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
