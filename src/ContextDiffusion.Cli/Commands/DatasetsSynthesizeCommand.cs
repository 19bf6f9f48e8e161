using System.CommandLine;
using ContextDiffusion.Model.Data;

namespace ContextDiffusion.Cli.Commands;

/// <summary>`cdiff datasets synthesize --out DIR [--items 64]`: a small paired dataset made from nothing, for demos without real data.</summary>
public static class DatasetsSynthesizeCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder to write (manifest.jsonl and the images)", Required = true };
        var items = new Option<int>("--items") { Description = "Items, alternating two domains", DefaultValueFactory = _ => 64 };
        var command = new Command("synthesize", "Write a synthetic dataset (segmentation maps of rectangles, photos coloured per domain)") { output, items };
        command.SetAction(parse =>
        {
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            SyntheticDataset.Write(folder, parse.GetValue(items));
            Console.WriteLine($"datasets synthesize: items={parse.GetValue(items)} data={folder}");
            return 0;
        });
        return command;
    }
}
