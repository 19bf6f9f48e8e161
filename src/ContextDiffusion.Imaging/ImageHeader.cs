namespace ContextDiffusion.Imaging;

/// <summary>What an input's header declares, read without decoding its pixels.</summary>
public sealed record ImageHeader(ImageFormat Format, int Width, int Height, int Bands);
