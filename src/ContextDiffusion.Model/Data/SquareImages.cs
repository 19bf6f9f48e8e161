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
    public static Tensor ToTensor(IEnumerable<Image> images, int size, ResizeKernel kernel)
    {
        var squares = images.Select(image => Square(image, size, kernel)).ToList();
        try
        {
            return ImageTensors.ToTensor(squares);
        }
        finally
        {
            foreach (var square in squares) square.Dispose();
        }
    }

    public static Image Load(ImageDecoder decoder, string path) => decoder.Decode(File.ReadAllBytes(path), path);
}
