using Microsoft.AspNetCore.Identity;

namespace ContextDiffusion.Server.Dashboard.Auth;

/// <summary>
/// Dashboard password hashes: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>, format V3: PBKDF2 with
/// HMAC-SHA512, 100,000 iterations, a random 128-bit salt per hash, a 256-bit subkey, in base64. Salted and slow, so a
/// leaked configuration does not fall to a dictionary. `cdiff dashboard hash-password` makes them.
/// </summary>
public static class DashboardPasswords
{
    private static readonly PasswordHasher<DashboardUser> Hasher = new();

    /// <summary>A hash of a password no one has: checked when the name is unknown, so timing does not tell names apart.</summary>
    private static readonly string Decoy = Hasher.HashPassword(new DashboardUser(), Guid.NewGuid().ToString());

    public static string Hash(string password) => Hasher.HashPassword(new DashboardUser(), password);

    /// <summary>Whether <paramref name="password"/> matches <paramref name="hash"/>; with no hash, a decoy is checked and the answer is false.</summary>
    public static bool Verify(string? hash, string password) =>
        Hasher.VerifyHashedPassword(new DashboardUser(), hash ?? Decoy, password) != PasswordVerificationResult.Failed && hash is not null;

    /// <summary>Whether <paramref name="value"/> looks like a V3 hash (marker byte 0x01, header, salt and subkey).</summary>
    public static bool IsHash(string value)
    {
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var length) && length >= 61 && bytes[0] == 0x01;
    }
}
