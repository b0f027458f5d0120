using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Telemetry;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Inventory.Caching;

/// <summary>
/// Cache-aside stock in Redis: key <c>inventory:{sku}</c>, value <c>available|price|name</c> (the name last, so it
/// may contain the separator), with a TTL. The cache is an optimisation only: when Redis fails or is slower than
/// <see cref="InventoryCacheOptions.CacheTimeout"/>, each method logs a warning, adds an event to the current span
/// and returns as if the cache were empty; it never fails the call.
/// </summary>
public sealed partial class InventoryCache(
    RedisClient redis, IOptions<InventoryCacheOptions> options, ILogger<InventoryCache> logger)
{
    public const string KeyPrefix = "inventory:";

    private const char Separator = '|';

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
            values = await redis.GetManyAsync([.. skus.Select(Key)], timeout.Token);
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

    /// <summary>Stores <paramref name="items"/> with the TTL in one pipelined batch of <c>SET ... EX</c>.</summary>
    public async Task SetAsync(IReadOnlyList<StockItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return;
        }

        using var timeout = StartTimeout(cancellationToken);
        var batch = redis.CreateBatch();
        var replies = new ValueTask<bool>[items.Count];
        for (var index = 0; index < items.Count; index++)
        {
            replies[index] = batch.SetAsync(Key(items[index].Sku), Format(items[index]), _options.CacheTtl, When.Always, timeout.Token);
        }

        try
        {
            await batch.ExecuteAsync(timeout.Token);
            foreach (var reply in replies)
            {
                await reply;
            }
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            OnUnavailable("SET", exception);
        }
    }

    /// <summary>
    /// <c>DEL</c> after a committed stock change, so the next check reads the new stock from PostgreSQL. When it
    /// fails, the entries stay stale until their TTL ends; Deduct itself never trusts the cache.
    /// </summary>
    public async Task InvalidateAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        if (skus.Count == 0)
        {
            return;
        }

        using var timeout = StartTimeout(cancellationToken);
        try
        {
            await redis.DeleteAsync([.. skus.Select(Key)], timeout.Token);
        }
        catch (Exception exception) when (IsCacheFailure(exception, cancellationToken))
        {
            OnUnavailable("DEL", exception);
            LogStaleUntilExpiry(skus.Count, _options.CacheTtl);
        }
    }

    internal static string Format(StockItem item) =>
        string.Create(CultureInfo.InvariantCulture, $"{item.Available}{Separator}{item.UnitPrice}{Separator}{item.Name}");

    internal static StockItem? TryParse(string sku, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Split(Separator, 3);
        return parts.Length == 3
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var available)
            && decimal.TryParse(parts[1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price)
                ? new StockItem(sku, parts[2], price, available)
                : null;
    }

    private CancellationTokenSource StartTimeout(CancellationToken cancellationToken)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.CacheTimeout);
        return timeout;
    }

    /// <summary>Redis failing or timing out; the caller cancelling is not a cache failure and propagates.</summary>
    private static bool IsCacheFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is RedisException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void OnUnavailable(string operation, Exception exception)
    {
        InventoryTelemetry.RecordCacheUnavailable(Activity.Current, operation, exception);
        LogCacheUnavailable(operation, exception is OperationCanceledException ? $"no answer within {_options.CacheTimeout.TotalMilliseconds} ms" : exception.Message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis cache unavailable for {Operation}, using PostgreSQL: {Reason}")]
    private partial void LogCacheUnavailable(string operation, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} cache entries could not be invalidated; they may be stale for up to {Ttl}")]
    private partial void LogStaleUntilExpiry(int count, TimeSpan ttl);
}
