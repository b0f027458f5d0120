using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.Gateway.Authentication;

/// <summary>
/// The API keys the Gateway accepts (<c>Authentication:ApiKeys</c>). Only their SHA-256 digests are kept, and a
/// presented key is compared with every one of them in constant time, so neither the keys nor timing leak.
/// </summary>
public sealed class ApiKeyRegistry
{
    public const string ConfigurationSection = "Authentication:ApiKeys";

    /// <summary>Longer input is not a key: it is refused before hashing.</summary>
    public const int MaxKeyLength = 256;

    private readonly byte[][] _digests;
    private readonly string[] _ids;

    public ApiKeyRegistry(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _digests = keys.Where(key => !string.IsNullOrWhiteSpace(key)).Select(key => Digest(key.Trim())).ToArray();
        _ids = _digests.Select(IdOf).ToArray();
    }

    public int Count => _digests.Length;

    /// <summary>Reads the keys, or fails with the setting to add: a Gateway without keys could only refuse every request.</summary>
    public static ApiKeyRegistry FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var registry = new ApiKeyRegistry(configuration.GetSection(ConfigurationSection).GetChildren().Select(child => child.Value ?? string.Empty));
        if (registry.Count == 0)
        {
            throw new MissingConfigurationException(
                "no API key is configured: set Authentication__ApiKeys__0 (and __1, ... for more) or start the system with ./run.sh (the AppHost generates one).");
        }

        return registry;
    }

    /// <summary>
    /// True when <paramref name="presentedKey"/> is one of the keys; <paramref name="keyId"/> is then a short,
    /// non-reversible id of that key, safe to log and to partition rate limits by.
    /// </summary>
    public bool TryIdentify(string presentedKey, [NotNullWhen(true)] out string? keyId)
    {
        keyId = null;
        if (string.IsNullOrEmpty(presentedKey) || presentedKey.Length > MaxKeyLength)
        {
            return false;
        }

        var digest = Digest(presentedKey);
        var match = -1;
        for (var i = 0; i < _digests.Length; i++)
        {
            // No early exit: the time taken does not say which key, or whether any, matched.
            if (CryptographicOperations.FixedTimeEquals(digest, _digests[i]))
            {
                match = i;
            }
        }

        keyId = match >= 0 ? _ids[match] : null;
        return keyId is not null;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string IdOf(byte[] digest) => Convert.ToHexStringLower(digest, 0, 6);
}
