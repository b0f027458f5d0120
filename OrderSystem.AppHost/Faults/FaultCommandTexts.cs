using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.AppHost.Faults;

/// <summary>
/// How a fault's pair of commands reads in the Aspire dashboard's resource actions: what switching it on and off does
/// in a person's words, their Fluent UI icons, and for a fault that makes orders fail, what to confirm first.
/// </summary>
public sealed record FaultCommandText(string SwitchOn, string SwitchOff, string SwitchOnIcon, string SwitchOffIcon, string? Confirmation = null);

public static class FaultCommandTexts
{
    public static IReadOnlyDictionary<string, FaultCommandText> ByFault { get; } = new Dictionary<string, FaultCommandText>(StringComparer.Ordinal)
    {
        [KnownFaults.ProductsNPlusOne] = new(
            "Query product categories one by one", "Query product categories in one JOIN", "DatabaseMultiple", "Database"),
        [KnownFaults.InventoryCacheOff] = new(
            "Bypass the stock cache", "Use the stock cache", "AnimalRabbitOff", "AnimalRabbit"),
        [KnownFaults.PaymentsSlowProvider] = new(
            "Slow down the payment provider", "Restore the payment provider's speed", "HourglassHalf", "ArrowUndo",
            $"Every payment call takes {KnownFaults.DefaultExtraLatencyMs / 1000} s longer, past Orders' deadline, so orders fail until it is restored. Switch it on?"),
        [KnownFaults.InventoryUnorderedLocks] = new(
            "Lock stock rows in request order", "Lock stock rows in SKU order", "LockOpen", "LockClosed",
            "Orders that take the same SKUs in opposite order deadlock, and one of them fails. Switch it on?"),
        [KnownFaults.InventoryMissingIndex] = new(
            "Drop the SKU index", "Restore the SKU index", "TableDismiss", "Table",
            $"Drops the index on inventory_items.sku and grows the table with {KnownFaults.DefaultMissingIndexRows:N0} archived rows, which takes a while; stock lookups scan the table until it is restored. Switch it on?"),
        [KnownFaults.KafkaOutage] = new(
            "Take the broker down", "Bring the broker back", "PlugDisconnected", "PlugConnected",
            "The broker refuses every connection: Orders' outbox backs up and Notifications stalls until it is restored. Switch it on?"),
        [KnownFaults.PaymentsPoolReset] = new(
            "Reset payment provider connections", "Stop resetting payment provider connections", "ArrowReset", "ArrowUndo",
            $"Every {KnownFaults.DefaultIntervalSeconds} s the payment provider aborts the calls in flight; payments that run out of retries fail. Switch it on?"),
        [KnownFaults.PaymentsRetriesOff] = new(
            "Turn off payment retries", "Turn payment retries back on", "ArrowRepeatAllOff", "ArrowRepeatAll"),
        [KnownFaults.OrdersSagaPause] = new(
            "Hold orders after payment", "Confirm orders at once", "Pause", "Play",
            "Each order whose payment is captured waits up to Orders:CallTimeout before it is confirmed, a window for chaos tests to kill Orders in. Switch it on?"),
    };
}
