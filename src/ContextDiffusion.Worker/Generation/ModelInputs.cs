using ContextDiffusion.Contracts;
using ContextDiffusion.Imaging;
using ContextDiffusion.Model;
using ContextDiffusion.Model.Data;
using ContextDiffusion.Model.Sampling;
using ContextDiffusion.Pipeline.Storage;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Worker.Generation;

/// <summary>
/// A micro-batch's images as the model's inputs: query maps and context photos as centred squares at the
/// model's sizes (as <see cref="SquareImages"/> makes them for training and evaluation), context padded to
/// the largest count with padding weighted 0. Squares of content-addressed uploads are kept in
/// <paramref name="squares"/>: a context photo shared by thousands of items is resized once.
/// </summary>
public sealed class ModelInputs(ImageCache<ModelInputs.SquareKey> squares)
{
    public readonly record struct SquareKey(ObjectReference Image, int Size, ResizeKernel Kernel);

    public GenerationBatch Build(ContextDiffusionConfig config, IReadOnlyList<ItemInputs> items)
    {
        using var scope = DisposeScope.Enter();
        var query = ToTensor(items.Select(i => (i.Item.Query, i.Query!)), config.Resolution, ResizeKernel.Nearest);
        var contextCount = items.Max(i => i.Context.Count);
        var size = config.ImageEncoder.ImageSize;
        var contexts = new Tensor[items.Count];
        var weights = new float[items.Count * contextCount];
        for (var b = 0; b < items.Count; b++)
        {
            var item = items[b].Item;
            var own = ToTensor(items[b].Context.Select((image, k) => (item.Context[k].Image, image)), size, ResizeKernel.Lanczos3);
            var padding = contextCount - items[b].Context.Count;
            contexts[b] = padding == 0 ? own : Tensor.Cat([own, Tensor.Zeros([padding, 3, size, size])], 0);
            for (var k = 0; k < items[b].Context.Count; k++) weights[b * contextCount + k] = item.Context[k].Weight;
        }
        return new GenerationBatch(scope.MoveToOuter(query), scope.MoveToOuter(Tensor.Stack(contexts, 0)),
            scope.MoveToOuter(Tensor.From(weights, items.Count, contextCount)),
            items.Select(i => i.Item.Prompt).ToList(), items.Select(i => unchecked((ulong)i.Item.Seed)).ToList());
    }

    private Tensor ToTensor(IEnumerable<(ObjectReference Reference, Image Image)> images, int size, ResizeKernel kernel) =>
        SquareImages.ToTensor(images, x => Square(x.Reference, x.Image, size, kernel));

    private Image Square(ObjectReference reference, Image image, int size, ResizeKernel kernel)
    {
        if (!ObjectKeys.IsContentAddressed(reference.Key)) return SquareImages.Square(image, size, kernel);
        var key = new SquareKey(reference, size, kernel);
        if (squares.TryGet(key) is { } cached) return cached;
        // Computed into memory once: a lazy resize would run again on every read of the cached image.
        using var lazy = SquareImages.Square(image, size, kernel);
        var square = lazy.Materialize();
        squares.Add(key, square);
        return square;
    }
}
