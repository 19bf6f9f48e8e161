using ContextDiffusion.Torch;
using ContextDiffusion.Torch.Serialization;

namespace ContextDiffusion.Model.Tests.Evaluation;

/// <summary>
/// The reference results of Reference/make_fixture.py (Reference/fixtures/evaluation.safetensors): per case
/// the inputs (<c>NAME/in{i}</c>) and outputs (<c>NAME/out{j}</c>); the FID Inception's state-dict key
/// names and shapes as JSON in the metadata (<c>inception_state_dict</c>).
/// </summary>
internal sealed class EvaluationFixture : IDisposable
{
    private readonly SafetensorsFile file;

    private EvaluationFixture(SafetensorsFile file) => this.file = file;

    public static EvaluationFixture Open() =>
        new(SafetensorsFile.Open(Path.Combine(AppContext.BaseDirectory, "Evaluation", "Reference", "fixtures", "evaluation.safetensors")));

    public Tensor In(string caseName, int i) => file.Load($"{caseName}/in{i}");

    public Tensor Out(string caseName, int j) => file.Load($"{caseName}/out{j}");

    public string Metadata(string key) => file.Metadata[key];

    public void Dispose() => file.Dispose();
}
