namespace ContextDiffusion.Torch;

public enum DeviceType { Cpu = 0, Cuda = 1 }

/// <summary>Where a tensor lives: "cpu" or "cuda:N".</summary>
public readonly record struct Device(DeviceType Type, int Index)
{
    public static readonly Device Cpu = new(DeviceType.Cpu, -1);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>cuda:0 when libtorch sees a GPU, else cpu.</summary>
    public static Device BestAvailable => Torch.CudaDeviceCount > 0 ? Cuda(0) : Cpu;

    public bool IsCuda => Type == DeviceType.Cuda;

    /// <summary>Parses "cpu", "cuda", "cuda:1" or "best".</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "cpu") return Cpu;
        if (t is "best" or "auto") return BestAvailable;
        if (t is "cuda") return Cuda();
        if (t.StartsWith("cuda:") && int.TryParse(t.AsSpan(5), out var index) && index >= 0) return Cuda(index);
        throw new FormatException($"unknown device '{text}': expected cpu, cuda, cuda:N or best");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Math.Max(Index, 0)}";
}
