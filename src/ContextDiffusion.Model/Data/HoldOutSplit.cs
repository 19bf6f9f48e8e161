using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ContextDiffusion.Model.Data;

/// <summary>
/// A deterministic train / evaluation split by item id: the same id always lands on the same side,
/// whatever order or subset of the manifest is read, so evaluation items are never trained on.
/// </summary>
public static class HoldOutSplit
{
    /// <summary>Whether the item belongs to the held-out evaluation share (e.g. 0.1 = about 10%).</summary>
    public static bool IsHeldOut(string id, double share)
    {
        var hash = BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
        return hash / (double)uint.MaxValue < share;
    }
}
