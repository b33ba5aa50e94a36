using System.Security.Cryptography;
using System.Text;

namespace Fleet.Server.Security;

/// <summary>Token secrets: made from 32 random bytes, stored and compared only as their SHA-256.</summary>
internal static class TokenSecrets
{
    public const string Prefix = "fleet_";

    /// <summary>Shortest secret accepted from settings.</summary>
    public const int MinLength = 16;

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
