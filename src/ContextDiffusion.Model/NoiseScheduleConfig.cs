using ContextDiffusion.Model.Schedulers;

namespace ContextDiffusion.Model;

/// <summary>
/// What the denoiser outputs. With epsilon prediction at the noisiest steps (abar_T = 4e-5 for DDPM's linear
/// schedule) an error e in the predicted noise is an error e sqrt((1 - abar) / abar), about 160 e, in the implied
/// x_0, so the loss hardly sees the global colour there, which is where sampling decides it; v prediction
/// (Salimans and Ho 2022) is about -x_0 there and gives the global colour its full weight.
/// </summary>
public enum PredictionType
{
    Epsilon,
    VPrediction,
}

/// <summary>The forward process a model is trained with; samplers use the same one.</summary>
public sealed record NoiseScheduleConfig
{
    public int TrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 0.00085;
    public double BetaEnd { get; init; } = 0.012;
    public BetaSchedule Schedule { get; init; } = BetaSchedule.ScaledLinear;

    /// <summary>
    /// What the UNet is trained to output (diffusers' <c>prediction_type</c>): the noise (the papers', and SD 1.5's)
    /// or v = sqrt(abar) eps - sqrt(1 - abar) x0. Samplers always get the noise (<see cref="ContextDiffusionModel.PredictNoise"/>
    /// converts), so they are the same for both.
    /// </summary>
    public PredictionType PredictionType { get; init; } = PredictionType.Epsilon;

    public NoiseSchedule Create() => new(TrainTimesteps, BetaStart, BetaEnd, Schedule);
}
