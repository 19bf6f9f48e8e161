using ContextDiffusion.Model.Evaluation.Inception;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Evaluation;

/// <summary>
/// FID between generated images and true photos: the Fréchet distance between Gaussians fitted to their
/// Inception pool3 features. The Inception weights cannot be downloaded here, so FID exists only when the
/// user supplies the checkpoint (<see cref="TryCreate"/>); otherwise the evaluation reports it unavailable.
/// </summary>
public sealed class FidCalculator : IDisposable
{
    private readonly InceptionFeatureExtractor network;

    private FidCalculator(InceptionFeatureExtractor network) => this.network = network;

    /// <summary>
    /// A calculator running the Inception network on <paramref name="device"/>, or null with the reason FID
    /// is unavailable: no checkpoint path given, no file there, or a file that is not the FID Inception's
    /// state dict in safetensors (the loader's message says which keys or shapes are wrong).
    /// </summary>
    public static FidCalculator? TryCreate(string? inceptionCheckpointPath, Device device, out string unavailableReason)
    {
        if (string.IsNullOrWhiteSpace(inceptionCheckpointPath))
        {
            unavailableReason = "no Inception checkpoint was supplied";
            return null;
        }
        if (!File.Exists(inceptionCheckpointPath))
        {
            unavailableReason = $"the Inception checkpoint {inceptionCheckpointPath} does not exist";
            return null;
        }
        try
        {
            var network = InceptionFeatureExtractor.Load(inceptionCheckpointPath);
            network.To(device);
            unavailableReason = "";
            return new FidCalculator(network);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SafetensorsFormatException or StateDictException)
        {
            unavailableReason = $"the Inception checkpoint {inceptionCheckpointPath} could not be loaded: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// The (N, 2048) Inception features of (N, 3, H, W) images in [-1, 1], as float32 on the CPU, so that
    /// the features of a whole set can be gathered batch by batch and passed to <see cref="Distance"/>.
    /// </summary>
    public Tensor Features(Tensor images)
    {
        using var inference = Torch.Torch.InferenceMode();
        using var scope = DisposeScope.Enter();
        var device = network.Parameters().First().Device;
        return scope.MoveToOuter(network.Forward(images.To(device)).To(Device.Cpu, DType.Float32));
    }

    /// <summary>FID between the features of the generated set and of the real set (at least 2 images each).</summary>
    public static double Distance(Tensor generatedFeatures, Tensor realFeatures) =>
        FrechetDistance.BetweenFeatures(generatedFeatures, realFeatures);

    public void Dispose() => network.Dispose();
}
