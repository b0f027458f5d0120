using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Dashboard.Faults;

/// <summary>What <c>POST /api/faults/actions/flush-inventory-cache</c> answers: the keys it matched and how many it deleted.</summary>
public sealed record CacheFlushResult(string Pattern, long Deleted);

/// <summary>
/// Empties Inventory's stock cache so that the next checks miss and read PostgreSQL: the keys matching
/// <see cref="KeyPattern"/>, found a page at a time with <c>SCAN</c> (which never blocks Redis the way <c>KEYS</c>
/// does) and removed with <c>UNLINK</c>. Never <c>FLUSHDB</c>: the fault switches and other services' keys live in the
/// same Redis.
/// </summary>
public static class InventoryCacheFlush
{
    /// <summary>Inventory's cache keys: <c>inventory:{sku}</c> (<c>InventoryCache.KeyPrefix</c> in Inventory).</summary>
    public const string KeyPattern = "inventory:*";

    private const int ScanPageSize = 500;

    /// <summary>How many keys were deleted; entries that expired meanwhile are not counted.</summary>
    public static async Task<long> FlushAsync(RedisClient redis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redis);
        long deleted = 0;
        RedisValue cursor = "0";
        do
        {
            var page = (await redis.ExecuteAsync("SCAN", [cursor, "MATCH", KeyPattern, "COUNT", ScanPageSize], cancellationToken).ConfigureAwait(false)).Elements!;
            cursor = page[0].AsRedisValue();
            var keys = page[1].Elements!.Select(key => key.AsRedisValue()).ToArray();
            if (keys.Length > 0)
            {
                deleted += (await redis.ExecuteAsync("UNLINK", keys, cancellationToken).ConfigureAwait(false)).Integer;
            }
        }
        while ((string?)cursor != "0");

        return deleted;
    }
}
