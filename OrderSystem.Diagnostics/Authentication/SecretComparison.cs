using System.Security.Cryptography;
using System.Text;

namespace OrderSystem.Diagnostics.Authentication;

/// <summary>Compares a presented secret with the configured one in constant time.</summary>
internal static class SecretComparison
{
    /// <summary>Longer input is not a token or a key: it is refused before hashing.</summary>
    private const int MaxSecretLength = 256;

    /// <summary>
    /// True when both are the same non-empty secret. Both are hashed first, so neither the secret's length nor how many
    /// leading characters match shows in the time taken.
    /// </summary>
    public static bool Matches(string? expected, string? presented)
    {
        if (string.IsNullOrEmpty(expected) || string.IsNullOrEmpty(presented) || presented.Length > MaxSecretLength)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Digest(expected), Digest(presented));
    }

    private static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
