namespace OrderSystem.ServiceDefaults.Faults;

/// <summary>A fault a person can switch on at run time, the service where it acts and what it does.</summary>
public sealed record KnownFault(string Name, string Service, string Description);

/// <summary>Every fault the services know, shared by the services that act on them and the dashboard that flips them.</summary>
public static class KnownFaults
{
    public const string ProductsNPlusOne = "products-n-plus-one";
    public const string InventoryCacheOff = "inventory-cache-off";
    public const string PaymentsSlowProvider = "payments-slow-provider";
    public const string InventoryUnorderedLocks = "inventory-unordered-locks";
    public const string InventoryMissingIndex = "inventory-missing-index";
    public const string KafkaOutage = "kafka-outage";
    public const string PaymentsPoolReset = "payments-pool-reset";
    public const string PaymentsRetriesOff = "payments-retries-off";
    public const string OrdersSagaPause = "orders-saga-pause";

    /// <summary>Parameter of <see cref="PaymentsSlowProvider"/>: milliseconds added to each provider call.</summary>
    public const string ExtraLatencyMsParameter = "extraLatencyMs";

    /// <summary>
    /// The default of <see cref="ExtraLatencyMsParameter"/>: past the provider client's 10 s per attempt and Orders'
    /// 10 s call deadline (<c>Orders:CallTimeout</c>).
    /// </summary>
    public const int DefaultExtraLatencyMs = 12_000;

    /// <summary>Parameter of <see cref="InventoryMissingIndex"/>: how many archived (unlisted) rows the table is grown to.</summary>
    public const string RowsParameter = "rows";

    /// <summary>
    /// The default of <see cref="RowsParameter"/>: enough that a scan takes clearly longer (about 100 ms on an idle
    /// 2-core machine, a parallel scan) than the 50 ms margin of the dashboard's slow-statement rule; a million rows scan
    /// in about 50 ms there, too close to the margin for the finding to be sure.
    /// </summary>
    public const int DefaultMissingIndexRows = 2_000_000;

    /// <summary>Parameter of <see cref="PaymentsPoolReset"/>: seconds between two resets (on multiples of it on the Unix clock).</summary>
    public const string IntervalSecondsParameter = "intervalSeconds";

    /// <summary>Parameter of <see cref="PaymentsPoolReset"/>: milliseconds after each reset during which new calls are reset too.</summary>
    public const string ResetWindowMsParameter = "resetWindowMs";

    public const int DefaultIntervalSeconds = 5;

    public const int DefaultResetWindowMs = 1000;

    public static IReadOnlyList<KnownFault> All { get; } =
    [
        new(ProductsNPlusOne, "inventory", "ListProducts reads each product's category with its own query instead of one JOIN (N+1 queries)."),
        new(InventoryCacheOff, "inventory", "CheckAvailability skips Redis, so every check misses and reads PostgreSQL."),
        new(PaymentsSlowProvider, "payments", $"The simulated payment provider takes {ExtraLatencyMsParameter} (default {DefaultExtraLatencyMs} ms) longer per call."),
        new(InventoryUnorderedLocks, "inventory", "Stock changes lock rows one at a time in request order instead of in SKU order, so opposite-order orders deadlock (40P01)."),
        new(InventoryMissingIndex, "inventory", $"The unique index on inventory_items.sku is dropped and the table grown with archived rows ({RowsParameter}, default {DefaultMissingIndexRows}), so cache misses of CheckAvailability and every Deduct scan the table."),
        new(KafkaOutage, "messaging", "The Kafka broker closes its connections and refuses new ones, so Orders' outbox backs up and Notifications stalls until it is switched off."),
        new(PaymentsPoolReset, "payments", $"The simulated payment provider resets its connections every {IntervalSecondsParameter} (default {DefaultIntervalSeconds} s): calls in flight and calls within {ResetWindowMsParameter} (default {DefaultResetWindowMs} ms) after it are aborted before charging."),
        new(PaymentsRetriesOff, "payments", "The payment provider client sends each call once, without the standard pipeline's retries, so every reset or outage fails the payment."),
        new(OrdersSagaPause, "orders", "For chaos tests: the order saga holds after a captured payment, before confirming the order, while the fault is on (at most Orders:CallTimeout), so Orders can be killed at that point."),
    ];

    public static KnownFault? Find(string name) => All.FirstOrDefault(fault => string.Equals(fault.Name, name, StringComparison.Ordinal));
}
