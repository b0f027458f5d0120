using OrderSystem.Inventory.Caching;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Telemetry;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Services;

/// <summary>
/// Current stock of a request's SKUs: from the cache where it has them, the rest from PostgreSQL in one query,
/// which then fills the cache. The answer is advisory (Deduct checks again under row locks), so an entry up to
/// one TTL old, after a write-through that failed, is acceptable.
/// </summary>
public sealed class AvailabilityChecker(InventoryCache cache, StockCatalog catalog, InventoryTelemetry telemetry, FaultSwitches faults)
{
    /// <summary>One entry per SKU, in order; null for a SKU that does not exist.</summary>
    public async Task<StockItem?[]> GetStockAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        using var activity = InventoryTelemetry.StartCheckAvailability(skus.Count);

        var cacheOff = await faults.IsOnAsync(KnownFaults.InventoryCacheOff, cancellationToken);
        if (cacheOff)
        {
            FaultTelemetry.RecordInjected(activity, KnownFaults.InventoryCacheOff);
        }

        // With the cache switched off every SKU misses and nothing is written back, as if Redis were not there.
        var cached = cacheOff ? null : await cache.GetAsync(skus, cancellationToken);
        var items = cached ?? new StockItem?[skus.Count];
        var hits = items.Count(item => item is not null);
        telemetry.RecordCacheLookup(activity, hits, skus.Count - hits);
        if (hits == skus.Count)
        {
            return items;
        }

        var misses = skus.Where((_, index) => items[index] is null).ToArray();
        var loaded = (await catalog.GetItemsAsync(misses, cancellationToken)).ToDictionary(item => item.Sku, StringComparer.Ordinal);
        for (var index = 0; index < items.Length; index++)
        {
            items[index] ??= loaded.GetValueOrDefault(skus[index]);
        }

        // Redis just failed: trying it again for the refill would only add a second timeout to this call.
        if (cached is not null)
        {
            await cache.FillAsync([.. loaded.Values], cancellationToken);
        }

        return items;
    }
}
