using ContextDiffusion.Torch;
using ContextDiffusion.Torch.NN;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Encoders;

/// <summary>
/// CLIP's text encoder as Hugging Face's CLIPTextModel, with its state-dict names
/// (<c>text_model.embeddings.token_embedding.weight</c>, <c>text_model.encoder.layers.0.self_attn.q_proj.weight</c>,
/// ..., <c>text_model.final_layer_norm.bias</c>), so that a transformers checkpoint such as Stable Diffusion's
/// <c>text_encoder/model.safetensors</c> loads as it is.
/// </summary>
public sealed class ClipTextModel : Module
{
    public ClipTextModel(ClipTextConfig config)
    {
        TextModel = RegisterModule("text_model", new ClipTextTransformer(config));
    }

    public ClipTextTransformer TextModel { get; }

    public ClipTextConfig Config => TextModel.Config;

    /// <summary>
    /// Encodes token ids (N, T) (T at most max_position_embeddings, 77: a tokenizer's padded prompts) with
    /// the causal mask of CLIP's text encoder: token i sees tokens 0..i only.
    /// </summary>
    public ClipTextOutput Forward(Tensor inputIds) => TextModel.Forward(inputIds);

    /// <summary>
    /// A text encoder from a transformers folder: <c>config.json</c> (a CLIPTextModel's or a full CLIPModel's)
    /// and <c>model.safetensors</c>, loaded strictly, in eval mode.
    /// </summary>
    public static ClipTextModel FromPretrained(string folder) =>
        ClipCheckpoint.FromPretrained(folder, path => new ClipTextModel(ClipTextConfig.FromFile(path)), CheckpointKey);

    /// <summary>
    /// Loads a transformers safetensors checkpoint by its own key names, strictly: a CLIPTextModel's, or a full
    /// CLIPModel's (whose vision tower and projections are skipped). A missing, unexpected or misshapen key
    /// throws a <see cref="StateDictException"/> naming them all, before anything is copied.
    /// </summary>
    public void LoadCheckpoint(string path) => this.LoadSafetensors(path, CheckpointKey);

    /// <summary>The module key of a checkpoint key, or null for the keys this model ignores.</summary>
    public static string? CheckpointKey(string key) => ClipCheckpoint.MapKey(key, "text_model.");
}
