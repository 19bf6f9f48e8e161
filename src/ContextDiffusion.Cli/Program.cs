using System.CommandLine;
using ContextDiffusion.Cli.Commands;

var root = new RootCommand("cdiff: in-context image generation: model, pipeline and tools")
{
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
