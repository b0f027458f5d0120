using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Inventory.Caching;

/// <summary>The stock cache's settings, bound from configuration section <c>Inventory</c>.</summary>
public sealed class InventoryCacheOptions
{
    public const string SectionName = "Inventory";

    /// <summary>How long a cached stock entry lives; a write that failed to invalidate is stale at most this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a call waits for Redis before it goes to PostgreSQL instead: the cache must never make a call slower
    /// than having no cache.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan CacheTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
