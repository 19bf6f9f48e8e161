using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// CLIP's vision encoder as Hugging Face's CLIPVisionModelWithProjection, with its state-dict names
/// (<c>vision_model.embeddings.class_embedding</c>, <c>vision_model.embeddings.patch_embedding.weight</c>,
/// <c>vision_model.pre_layrnorm.weight</c>, <c>vision_model.encoder.layers.0.mlp.fc1.weight</c>, ...,
/// <c>vision_model.post_layernorm.bias</c>, <c>visual_projection.weight</c>), so that a transformers
/// checkpoint loads as it is.
/// </summary>
public sealed class ClipVisionModel : Module
{
    public ClipVisionModel(ClipVisionConfig config)
    {
        VisionModel = RegisterModule("vision_model", new ClipVisionTransformer(config));
        VisualProjection = RegisterModule("visual_projection", new Linear(config.HiddenSize, config.ProjectionDim, bias: false));
    }

    public ClipVisionTransformer VisionModel { get; }

    public Linear VisualProjection { get; }

    public ClipVisionConfig Config => VisionModel.Config;

    /// <summary>
    /// Encodes preprocessed pixels (N, C, image_size, image_size) (see <see cref="ClipImagePreprocessor"/>):
    /// all last-layer tokens, the pooled class token and the projected image embedding.
    /// </summary>
    public ClipVisionOutput Forward(Tensor pixelValues)
    {
        using var scope = DisposeScope.Enter();
        var (last, pooled) = VisionModel.Forward(pixelValues);
        var embeds = VisualProjection.Forward(pooled);
        return new ClipVisionOutput(scope.MoveToOuter(last), scope.MoveToOuter(pooled), scope.MoveToOuter(embeds));
    }

    /// <summary>
    /// A vision encoder from a transformers folder: <c>config.json</c> (a CLIPVisionModelWithProjection's or a
    /// full CLIPModel's) and <c>model.safetensors</c>, loaded strictly, in eval mode.
    /// </summary>
    public static ClipVisionModel FromPretrained(string folder) =>
        ClipCheckpoint.FromPretrained(folder, path => new ClipVisionModel(ClipVisionConfig.FromFile(path)), CheckpointKey);

    /// <summary>
    /// Loads a transformers safetensors checkpoint by its own key names, strictly: a
    /// CLIPVisionModelWithProjection's, or a full CLIPModel's (whose text tower and text projection are
    /// skipped). A missing, unexpected or misshapen key throws a <see cref="StateDictException"/> naming them
    /// all, before anything is copied.
    /// </summary>
    public void LoadCheckpoint(string path) => this.LoadSafetensors(path, CheckpointKey);

    /// <summary>The module key of a checkpoint key, or null for the keys this model ignores.</summary>
    public static string? CheckpointKey(string key) => ClipCheckpoint.MapKey(key, "vision_model.", "visual_projection.");
}
