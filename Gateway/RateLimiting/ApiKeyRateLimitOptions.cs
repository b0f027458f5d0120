using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Gateway.RateLimiting;

/// <summary>The token bucket each API key gets, bound from configuration section <c>RateLimiting</c>.</summary>
public sealed class ApiKeyRateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Tokens added back every second: the sustained request rate of one key.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSecond { get; set; } = 50;

    /// <summary>The bucket's size: how many requests a key may send at once after being idle.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 100;
}
