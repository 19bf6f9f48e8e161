namespace ContextDiffusion.Torch.NN;

// Constructor checks shared by the convolution layers, failing where PyTorch's do.
internal static class ConvChecks
{
    internal static void Groups(long inChannels, long outChannels, long groups)
    {
        if (groups < 1) throw new ArgumentOutOfRangeException(nameof(groups), groups, "groups must be positive");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"in_channels {inChannels} and out_channels {outChannels} must both be divisible by groups {groups}");
    }
}
