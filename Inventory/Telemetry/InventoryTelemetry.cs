using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderSystem.Inventory.Telemetry;

/// <summary>
/// The service's ActivitySource and Meter, both named <see cref="Name"/> (exported through the "OrderSystem.*"
/// wildcard of ServiceDefaults).
/// </summary>
public sealed class InventoryTelemetry
{
    public const string Name = "OrderSystem.Inventory";

    public const string CheckAvailabilitySpan = "CheckAvailability";
    public const string CacheUnavailableEvent = "inventory.cache.unavailable";

    private static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _cacheLookups;
    private readonly Counter<long> _deducted;
    private readonly Counter<long> _released;

    public InventoryTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        // The factory owns (and disposes) the meter.
        var meter = meterFactory.Create(Name);
        _cacheLookups = meter.CreateCounter<long>(
            "inventory.cache.lookups",
            unit: "{sku}",
            description: "SKUs looked up in the stock cache, by result (hit or miss).");
        _deducted = meter.CreateCounter<long>(
            "inventory.stock.deducted",
            unit: "{unit}",
            description: "Units of stock deducted for orders.");
        _released = meter.CreateCounter<long>(
            "inventory.stock.released",
            unit: "{unit}",
            description: "Units of stock given back by releases of orders.");
    }

    public static Activity? StartCheckAvailability(int itemCount)
    {
        var activity = Source.StartActivity(CheckAvailabilitySpan, ActivityKind.Internal);
        activity?.SetTag(Attributes.ItemCount, itemCount);
        return activity;
    }

    /// <summary>The cache's answer for one request: on the span and on <c>inventory.cache.lookups</c>.</summary>
    public void RecordCacheLookup(Activity? activity, int hits, int misses)
    {
        activity?.SetTag(Attributes.CacheHit, misses == 0);
        activity?.SetTag(Attributes.CacheHits, hits);
        activity?.SetTag(Attributes.CacheMisses, misses);
        if (hits > 0)
        {
            _cacheLookups.Add(hits, new KeyValuePair<string, object?>(Attributes.CacheResult, "hit"));
        }

        if (misses > 0)
        {
            _cacheLookups.Add(misses, new KeyValuePair<string, object?>(Attributes.CacheResult, "miss"));
        }
    }

    /// <summary>Redis failed: the call goes on from PostgreSQL, and the span says why it was slower.</summary>
    public static void RecordCacheUnavailable(Activity? activity, string operation, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        activity?.AddEvent(new ActivityEvent(CacheUnavailableEvent, tags: new ActivityTagsCollection
        {
            [Attributes.CacheOperation] = operation,
            ["exception.type"] = exception.GetType().FullName,
        }));
    }

    /// <summary>Tags the RPC's server span with the order and whether this call changed stock.</summary>
    public static void TagStockChange(Activity? activity, Guid orderId, int itemCount, bool applied)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Attributes.OrderId, orderId.ToString());
        activity.SetTag(Attributes.ItemCount, itemCount);
        activity.SetTag(Attributes.Applied, applied);
    }

    public void RecordDeducted(long units) => _deducted.Add(units);

    public void RecordReleased(long units) => _released.Add(units);

    /// <summary>Attribute names, namespaced as the OpenTelemetry naming guidelines ask of custom attributes.</summary>
    public static class Attributes
    {
        public const string OrderId = "order.id";
        public const string ItemCount = "inventory.item_count";
        public const string CacheHit = "inventory.cache_hit";
        public const string CacheHits = "inventory.cache.hits";
        public const string CacheMisses = "inventory.cache.misses";
        public const string CacheResult = "inventory.cache.result";
        public const string CacheOperation = "inventory.cache.operation";
        public const string Applied = "inventory.applied";
    }
}
