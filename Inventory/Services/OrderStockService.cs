using System.Diagnostics;
using OrderSystem.Inventory.Caching;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Model;
using OrderSystem.Inventory.Telemetry;

namespace OrderSystem.Inventory.Services;

/// <summary>An order's stock changes: the ledger's transaction, then the new stock written through to the cache, and telemetry.</summary>
public sealed class OrderStockService(StockLedger ledger, InventoryCache cache, InventoryTelemetry telemetry)
{
    /// <summary>False for a replay: the order was already deducted or released.</summary>
    public async Task<bool> DeductAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var deducted = await ledger.DeductAsync(orderId, lines, cancellationToken);
        InventoryTelemetry.TagStockChange(Activity.Current, orderId, lines.Count, deducted is not null);
        if (deducted is null)
        {
            return false;
        }

        await WriteThroughAsync(deducted);
        telemetry.RecordDeducted(deducted.Lines.Sum(line => (long)line.Quantity));
        return true;
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

        await WriteThroughAsync(released);
        telemetry.RecordReleased(released.Lines.Sum(line => (long)line.Quantity));
        return true;
    }

    // The change is committed: write it through even when the caller has gone, or checks would answer the old stock.
    private Task WriteThroughAsync(StockChange change) => cache.WriteThroughAsync(change.Stock, CancellationToken.None);
}
