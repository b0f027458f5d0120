using System.Diagnostics;
using OrderSystem.Inventory.Caching;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Telemetry;

namespace OrderSystem.Inventory.Services;

/// <summary>An order's stock changes: the ledger's transaction, then cache invalidation and telemetry.</summary>
public sealed class OrderStockService(StockLedger ledger, InventoryCache cache, InventoryTelemetry telemetry)
{
    /// <summary>False for a replay: the order was already deducted or released.</summary>
    public async Task<bool> DeductAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var applied = await ledger.DeductAsync(orderId, lines, cancellationToken);
        InventoryTelemetry.TagStockChange(Activity.Current, orderId, lines.Count, applied);
        if (applied)
        {
            await InvalidateAsync(lines);
            telemetry.RecordDeducted(lines.Sum(line => (long)line.Quantity));
        }

        return applied;
    }

    /// <summary>False when nothing was given back: never deducted, or already released.</summary>
    public async Task<bool> ReleaseAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var released = await ledger.ReleaseAsync(orderId, lines, cancellationToken);
        InventoryTelemetry.TagStockChange(Activity.Current, orderId, lines.Count, released is not null);
        if (released is null)
        {
            return false;
        }

        await InvalidateAsync(released);
        telemetry.RecordReleased(released.Sum(line => (long)line.Quantity));
        return true;
    }

    // The change is committed: invalidate even when the caller has gone, or the cache would be stale for a TTL.
    private Task InvalidateAsync(IReadOnlyList<StockQuantity> lines) =>
        cache.InvalidateAsync([.. lines.Select(line => line.Sku)], CancellationToken.None);
}
