using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Telemetry;
using StackExchange.Redis;

namespace OrderSystem.Inventory.Caching;

/// <summary>
/// Stock in Redis: key <c>inventory:{sku}</c>, value <c>v{version}|available|price|name</c> (the name last, so it
/// may contain the separator), with a TTL. Checks fill it after a miss and every committed stock change writes its
/// new stock through, each write keeping whichever of the held and the new entry has the higher version. The cache
/// is an optimisation only: when Redis fails or is slower than <see cref="InventoryCacheOptions.CacheTimeout"/>,
/// each method logs a warning, adds an event to the current span and returns as if the cache were empty; it never
/// fails the call. StackExchange.Redis commands take no token: the timeout ends the wait, and the command's late
/// reply is dropped.
/// </summary>
public sealed partial class InventoryCache(
    IConnectionMultiplexer redis, IOptions<InventoryCacheOptions> options, ILogger<InventoryCache> logger)
{
    public const string KeyPrefix = "inventory:";

    private const char Separator = '|';

    private const char VersionMark = 'v';

    // KEYS: the entries. ARGV[1]: their TTL in ms, then per key its version and its value. An entry replaces only a
    // missing, unreadable or older one, all in one atomic step: a check that read PostgreSQL just before a Deduct
    // committed cannot put back the stock that Deduct has written through.
    private const string StoreNewerScript = """
        local written = 0
        for i, key in ipairs(KEYS) do
          local held = redis.call('GET', key)
          local heldVersion = held and tonumber(string.match(held, '^v(%d+)|'))
          if not heldVersion or heldVersion < tonumber(ARGV[2 * i]) then
            redis.call('SET', key, ARGV[2 * i + 1], 'PX', ARGV[1])
            written = written + 1
          end
        end
        return written
        """;

    private readonly InventoryCacheOptions _options = options.Value;

    public static string Key(string sku) => KeyPrefix + sku;

    /// <summary>One <c>MGET</c>: an entry per SKU, null for a miss; null altogether when Redis did not answer.</summary>
    public async Task<StockItem?[]?> GetAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        using var timeout = StartTimeout(cancellationToken);
        RedisValue[] values;
        try
        {
            values = await redis.GetDatabase()
                .StringGetAsync([.. skus.Select(sku => (RedisKey)Key(sku))])
                .WaitAsync(timeout.Token);
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            OnUnavailable("MGET", exception);
            return null;
        }

        var items = new StockItem?[skus.Count];
        for (var index = 0; index < items.Length; index++)
        {
            // An entry that does not parse (written by another version, or by hand) is a miss and gets overwritten.
            items[index] = TryParse(skus[index], (string?)values[index]);
        }

        return items;
    }

    /// <summary>Stores what a check read from PostgreSQL after a miss, unless a newer entry got there first.</summary>
    public async Task FillAsync(IReadOnlyList<StockItem> items, CancellationToken cancellationToken) =>
        await StoreNewerAsync(items, cancellationToken);

    /// <summary>
    /// Stores the stock a committed change left, so the next check reads it from Redis. When Redis fails, the entries
    /// may answer the old stock until their TTL ends; Deduct itself never trusts the cache.
    /// </summary>
    public async Task WriteThroughAsync(IReadOnlyList<StockItem> items, CancellationToken cancellationToken)
    {
        if (!await StoreNewerAsync(items, cancellationToken))
        {
            LogStaleUntilExpiry(items.Count, _options.CacheTtl);
        }
    }

    internal static string Format(StockItem item) =>
        string.Create(CultureInfo.InvariantCulture, $"{VersionMark}{item.Version}{Separator}{item.Available}{Separator}{item.UnitPrice}{Separator}{item.Name}");

    internal static StockItem? TryParse(string sku, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Split(Separator, 4);
        return parts.Length == 4
            && parts[0].StartsWith(VersionMark)
            && long.TryParse(parts[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var available)
            && decimal.TryParse(parts[2], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
                ? new StockItem(sku, parts[3], price, available, version)
                : null;
    }

    /// <summary>One <c>EVAL</c> of <see cref="StoreNewerScript"/> for all <paramref name="items"/>: false when Redis did not answer.</summary>
    private async Task<bool> StoreNewerAsync(IReadOnlyList<StockItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return true;
        }

        var arguments = new RedisValue[1 + (2 * items.Count)];
        arguments[0] = (long)Math.Ceiling(_options.CacheTtl.TotalMilliseconds);
        for (var index = 0; index < items.Count; index++)
        {
            arguments[1 + (2 * index)] = items[index].Version;
            arguments[2 + (2 * index)] = Format(items[index]);
        }

        using var timeout = StartTimeout(cancellationToken);
        try
        {
            await redis.GetDatabase()
                .ScriptEvaluateAsync(StoreNewerScript, [.. items.Select(item => (RedisKey)Key(item.Sku))], arguments)
                .WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            OnUnavailable("EVAL", exception);
            return false;
        }
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CacheTimeout);
        return timeout;
    }

    /// <summary>Redis failing or timing out; the caller cancelling is not a cache failure and propagates.</summary>
    private static bool IsCacheFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is RedisException or RedisTimeoutException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void OnUnavailable(string operation, Exception exception)
    {
        InventoryTelemetry.RecordCacheUnavailable(Activity.Current, operation, exception);
        LogCacheUnavailable(operation, exception is OperationCanceledException ? $"no answer within {_options.CacheTimeout.TotalMilliseconds} ms" : exception.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cache unavailable for {Operation}, using PostgreSQL: {Reason}")]
    private partial void LogCacheUnavailable(string operation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} cache entries could not be written through; they may be stale for up to {Ttl}")]
    private partial void LogStaleUntilExpiry(int count, TimeSpan ttl);
}
