using System.CommandLine;
using ContextDiffusion.Contracts;
using ContextDiffusion.Model.Sampling;

namespace ContextDiffusion.Cli.Commands;

/// <summary>The sampling options `generate`, `eval` and `submit` share: steps, sampler and the two guidance scales.</summary>
public sealed class SamplingOptions
{
    private readonly Option<int> steps = new("--steps") { Description = "Sampling steps", DefaultValueFactory = _ => 25 };
    private readonly Option<string> sampler = new("--sampler") { Description = "ddim, dpm or ddpm", DefaultValueFactory = _ => "dpm" };
    private readonly Option<double> contextGuidance = new("--guidance-context") { Description = "Guidance scale of the context images", DefaultValueFactory = _ => 3 };
    private readonly Option<double> textGuidance = new("--guidance-text") { Description = "Guidance scale of the prompt", DefaultValueFactory = _ => 3 };

    public void AddTo(Command command)
    {
        command.Options.Add(steps);
        command.Options.Add(sampler);
        command.Options.Add(contextGuidance);
        command.Options.Add(textGuidance);
    }

    public GenerationSettings Read(ParseResult parse) => new()
    {
        Steps = parse.GetValue(steps),
        Sampler = SamplerKinds.Parse(parse.GetValue(sampler)!),
        ContextGuidance = parse.GetValue(contextGuidance),
        TextGuidance = parse.GetValue(textGuidance),
    };

    /// <summary>The same options as the pipeline's message contract, for `submit`; an unknown sampler fails here, before anything is uploaded.</summary>
    public SamplingParameters ReadParameters(ParseResult parse)
    {
        var settings = Read(parse);
        return new SamplingParameters
        {
            Steps = settings.Steps,
            Sampler = parse.GetValue(sampler)!.ToLowerInvariant(),
            ContextGuidance = settings.ContextGuidance,
            TextGuidance = settings.TextGuidance,
        };
    }
}
