using ContextDiffusion.Model.Encoders;
using ContextDiffusion.Torch;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Encoders;

/// <summary>
/// The encoders against the plain-PyTorch CLIP of Reference/make_clip_reference.py: the same tiny CLIPModel
/// checkpoint, loaded here by its transformers key names, must give the same outputs at fp32 relative error
/// &lt;= 1e-4 (max |ours - theirs| / max |theirs|).
/// </summary>
public sealed class ClipParityTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly SafetensorsFile reference = SafetensorsFile.Open(Path.Combine(TinyClip.Folder, "reference.safetensors"));

    private Tensor Load(string name) => reference.Load(name);

    [Fact]
    public void Text_encoder()
    {
        using var scope = DisposeScope.Enter();
        using var model = ClipTextModel.FromPretrained(TinyClip.Folder);
        var output = model.Forward(Load("text/input_ids"));
        TensorAssert.Close(Load("text/last_hidden_state"), output.LastHiddenState, Tolerance, "last_hidden_state");
        TensorAssert.Close(Load("text/pooler_output"), output.PooledOutput, Tolerance, "pooler_output");
    }

    [Fact]
    public void Vision_encoder()
    {
        using var scope = DisposeScope.Enter();
        using var model = ClipVisionModel.FromPretrained(TinyClip.Folder);
        var output = model.Forward(Load("vision/pixel_values"));
        TensorAssert.Close(Load("vision/last_hidden_state"), output.LastHiddenState, Tolerance, "last_hidden_state");
        TensorAssert.Close(Load("vision/pooler_output"), output.PooledOutput, Tolerance, "pooler_output");
        TensorAssert.Close(Load("vision/image_embeds"), output.ImageEmbeds, Tolerance, "image_embeds");
    }

    [Theory]
    [InlineData("wide")]
    [InlineData("tall_upscaled")]
    public void Image_preprocessing_matches_antialiased_bicubic_interpolation(string name)
    {
        using var scope = DisposeScope.Enter();
        var pixels = ClipImagePreprocessor.Preprocess(Load($"preprocess/{name}/images"), TinyClip.Vision.ImageSize, PixelRange.MinusOneToOne);
        TensorAssert.Close(Load($"preprocess/{name}/pixel_values"), pixels, Tolerance, name);
    }

    [Fact]
    public void Weighted_context_tokens()
    {
        using var scope = DisposeScope.Enter();
        using var vision = ClipVisionModel.FromPretrained(TinyClip.Folder);
        using var encoder = new ContextEncoder(vision, TinyClip.Text.HiddenSize);
        encoder.LoadStateDict(new Dictionary<string, Tensor>
        {
            ["projection.weight"] = Load("context/projection.weight"),
            ["projection.bias"] = Load("context/projection.bias"),
        });
        var tokens = encoder.Forward(Load("context/images"), PixelRange.MinusOneToOne, Load("context/weights"));
        TensorAssert.Close(Load("context/tokens"), tokens, Tolerance, "context tokens");
    }

    public void Dispose() => reference.Dispose();
}
