using System.Security.Cryptography;
using System.Text;
using ContextDiffusion.Pipeline.Data;
using Microsoft.EntityFrameworkCore;

namespace ContextDiffusion.Server.Auth;

/// <summary>
/// API keys: the header that carries them, the hash they are stored as (SHA-256 hex, so a leaked table
/// holds no usable key), and how a key is found or added.
/// </summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The unrevoked key with this value, or null.</summary>
    public static Task<ApiKeyRecord?> FindAsync(PipelineDbContext db, string key, CancellationToken cancellation = default)
    {
        var hash = Hash(key);
        return db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellation);
    }

    /// <summary>Stores <paramref name="key"/> with <paramref name="role"/> for <paramref name="owner"/> unless a key with its hash exists; true when it added one.</summary>
    public static async Task<bool> EnsureAsync(PipelineDbContext db, string name, string owner, string key, ApiRole role, CancellationToken cancellation = default)
    {
        var hash = Hash(key);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellation)) return false;
        db.ApiKeys.Add(new ApiKeyRecord { Id = Guid.NewGuid(), Name = name, Owner = owner, Hash = hash, Role = role, CreatedAt = DateTimeOffset.UtcNow });
        try
        {
            await db.SaveChangesAsync(cancellation);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another server added it in the meantime, or something else is wrong.
            db.ChangeTracker.Clear();
            if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellation)) return false;
            throw;
        }
    }

    /// <summary>Revokes every unrevoked key named <paramref name="name"/>; how many it revoked. The next request with one is refused.</summary>
    public static Task<int> RevokeAsync(PipelineDbContext db, string name, CancellationToken cancellation = default) =>
        db.ApiKeys.Where(k => k.Name == name && k.RevokedAt == null)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow), cancellation);
}
