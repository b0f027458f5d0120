using StackExchange.Redis;

namespace OrderSystem.Diagnostics.Faults;

/// <summary>What <c>POST /api/faults/actions/flush-inventory-cache</c> answers: the keys it matched and how many it deleted.</summary>
public sealed record CacheFlushResult(string Pattern, long Deleted);

/// <summary>
/// Empties Inventory's stock cache so that the next checks miss and read PostgreSQL: the keys matching
/// <see cref="KeyPattern"/>, found a page at a time with <c>SCAN</c> (which never blocks Redis the way <c>KEYS</c>
/// does) and removed with <c>UNLINK</c>, on every primary the connection knows. Never <c>FLUSHDB</c>: the fault
/// switches and other services' keys live in the same Redis.
/// </summary>
public static class InventoryCacheFlush
{
    /// <summary>Inventory's cache keys: <c>inventory:{sku}</c> (<c>InventoryCache.KeyPrefix</c> in Inventory).</summary>
    public const string KeyPattern = "inventory:*";

    private const int ScanPageSize = 500;

    /// <summary>How many keys were deleted; entries that expired meanwhile are not counted.</summary>
    public static async Task<long> FlushAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var database = redis.GetDatabase();
        long deleted = 0;
        foreach (var server in redis.GetServers().Where(server => !server.IsReplica))
        {
            var page = new List<RedisKey>(ScanPageSize);
            await foreach (var key in server.KeysAsync(database.Database, KeyPattern, ScanPageSize).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                page.Add(key);
                if (page.Count == ScanPageSize)
                {
                    deleted += await UnlinkAsync(database, page, cancellationToken).ConfigureAwait(false);
                }
            }

            deleted += await UnlinkAsync(database, page, cancellationToken).ConfigureAwait(false);
        }

        return deleted;
    }

    private static async Task<long> UnlinkAsync(IDatabaseAsync database, List<RedisKey> page, CancellationToken cancellationToken)
    {
        if (page.Count == 0)
        {
            return 0;
        }

        // KeyDeleteAsync sends UNLINK when the server has it (Redis 4 and later).
        var deleted = await database.KeyDeleteAsync([.. page]).WaitAsync(cancellationToken).ConfigureAwait(false);
        page.Clear();
        return deleted;
    }
}
