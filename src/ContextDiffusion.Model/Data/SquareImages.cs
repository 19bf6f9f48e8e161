using ContextDiffusion.Imaging;
using ContextDiffusion.Torch;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// Images to the square model inputs of generation and evaluation: the centred square of the shorter
/// side, resized (nearest for query maps, so label colours stay exact; Lanczos for photos), as tensors in [-1, 1].
/// </summary>
public static class SquareImages
{
    public static Image Square(Image image, int size, ResizeKernel kernel)
    {
        var side = Math.Min(image.Width, image.Height);
        using var square = image.CenterCrop(side, side);
        return square.Resize(size, size, kernel);
    }

    /// <summary>[N, 3, size, size] in [-1, 1].</summary>
    public static Tensor ToTensor(IEnumerable<Image> images, int size, ResizeKernel kernel) =>
        ToTensor(images, image => Square(image, size, kernel));

    /// <summary>[N, 3, size, size] in [-1, 1] of the squares <paramref name="square"/> makes (and this disposes), one per item.</summary>
    public static Tensor ToTensor<T>(IEnumerable<T> items, Func<T, Image> square)
    {
        var squares = items.Select(square).ToList();
        try
        {
            return ImageTensors.ToTensor(squares);
        }
        finally
        {
            foreach (var made in squares) made.Dispose();
        }
    }

    public static Image Load(ImageDecoder decoder, string path) => decoder.Decode(File.ReadAllBytes(path), path);
}
