using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;
using F = ContextDiffusion.Torch.NN.Functional;

namespace ContextDiffusion.Model.Evaluation.Inception;

/// <summary>
/// The Inception-v3 network FID is defined with: torchvision's inception_v3 as pytorch-fid patches it
/// (FIDInceptionA/C/E_1/E_2), up to the final average pool, giving 2048-d "pool3" features. Modules and
/// state-dict keys are torchvision's (<c>Conv2d_1a_3x3.conv.weight</c>, <c>Mixed_5b.branch1x1.bn.running_var</c>, ...),
/// so pytorch-fid's <c>pt_inception-2015-12-05</c> weights load once converted to safetensors
/// (<see cref="Load"/>). Always in evaluation mode; nothing in it trains.
/// </summary>
public sealed class InceptionFeatureExtractor : Module<Tensor, Tensor>
{
    public const int FeatureDimension = 2048;

    /// <summary>The side the network sees: every input is resized to 299x299, as pytorch-fid does.</summary>
    public const int InputSize = 299;

    private readonly long inputSize;
    private readonly BasicConv2d[] stem, stemAfterPool;
    private readonly Module<Tensor, Tensor>[] mixed5And6, mixed7;

    public InceptionFeatureExtractor() : this(InputSize)
    {
    }

    /// <summary>Resizes inputs to <paramref name="inputSize"/> instead of 299: a smaller network input (75 at least) keeps tests fast.</summary>
    internal InceptionFeatureExtractor(long inputSize)
    {
        this.inputSize = inputSize;
        stem =
        [
            RegisterModule("Conv2d_1a_3x3", new BasicConv2d(3, 32, 3, stride: 2)),
            RegisterModule("Conv2d_2a_3x3", new BasicConv2d(32, 32, 3)),
            RegisterModule("Conv2d_2b_3x3", new BasicConv2d(32, 64, 3, padding: 1)),
        ];
        stemAfterPool =
        [
            RegisterModule("Conv2d_3b_1x1", new BasicConv2d(64, 80, 1)),
            RegisterModule("Conv2d_4a_3x3", new BasicConv2d(80, 192, 3)),
        ];
        mixed5And6 =
        [
            RegisterModule("Mixed_5b", new InceptionA(192, poolFeatures: 32)),
            RegisterModule("Mixed_5c", new InceptionA(256, poolFeatures: 64)),
            RegisterModule("Mixed_5d", new InceptionA(288, poolFeatures: 64)),
            RegisterModule("Mixed_6a", new InceptionB(288)),
            RegisterModule("Mixed_6b", new InceptionC(768, channels7x7: 128)),
            RegisterModule("Mixed_6c", new InceptionC(768, channels7x7: 160)),
            RegisterModule("Mixed_6d", new InceptionC(768, channels7x7: 160)),
            RegisterModule("Mixed_6e", new InceptionC(768, channels7x7: 192)),
        ];
        mixed7 =
        [
            RegisterModule("Mixed_7a", new InceptionD(768)),
            RegisterModule("Mixed_7b", new InceptionE(1280, maxPoolBranch: false)),
            RegisterModule("Mixed_7c", new InceptionE(2048, maxPoolBranch: true)),
        ];
        Eval();
        RequiresGrad(false);
    }

    /// <summary>
    /// (N, 3, H, W) images in [-1, 1] to (N, 2048) features. Images are clamped to [-1, 1] (the range a
    /// saved image has) and resized bilinearly (align_corners false) to 299x299; pytorch-fid resizes [0, 1]
    /// images and then maps them to [-1, 1], which is the same since both steps are linear.
    /// </summary>
    public override Tensor Forward(Tensor images)
    {
        ImageMetrics.CheckImages(images, nameof(images));
        using var scope = DisposeScope.Enter();
        var dtype = Parameters().First().DType;
        var x = F.Interpolate(images.To(dtype).Clamp(-1, 1), (inputSize, inputSize), mode: InterpolationMode.Bilinear);
        x = F.MaxPool2d(BasicConv2d.Chain(stem, x), 3, stride: 2);
        x = F.MaxPool2d(BasicConv2d.Chain(stemAfterPool, x), 3, stride: 2);
        x = mixed5And6.Concat(mixed7).Aggregate(x, (current, block) => block.Forward(current));
        // The adaptive average pool to 1x1, flattened.
        return scope.MoveToOuter(x.Mean([2, 3]));
    }

    /// <summary>
    /// The network with weights from a safetensors file holding torchvision's state dict of the FID
    /// Inception (pytorch-fid's pt_inception-2015-12-05-6726825d.pth, converted). The classifier
    /// (<c>fc.*</c>) and batch-norm <c>num_batches_tracked</c> counters are ignored; every other key must
    /// match by name and shape (a <see cref="StateDictException"/> lists what does not). To convert the .pth:
    /// <c>safetensors.torch.save_file(torch.load("pt_inception-2015-12-05-6726825d.pth"), "inception.safetensors")</c>.
    /// </summary>
    public static InceptionFeatureExtractor Load(string checkpointPath)
    {
        var network = new InceptionFeatureExtractor();
        try
        {
            network.LoadSafetensors(checkpointPath, key => key.StartsWith("fc.") || key.EndsWith(".num_batches_tracked") ? null : key);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
