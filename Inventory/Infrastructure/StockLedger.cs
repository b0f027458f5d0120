using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderSystem.Inventory.Data;
using OrderSystem.Inventory.Faults;
using OrderSystem.Inventory.Model;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>
/// Stock changes of orders, each in one transaction: <c>inventory_items</c> for the stock and
/// <c>inventory_reservations</c> for what each order took. Per order the reservations move
/// (none) -> DEDUCTED -> RELEASED, or (none) -> CANCELLED when a Release comes first; any other call is a replay
/// that changes nothing. Calls for the same order are serialised by an advisory lock on the order id, taken before
/// any row lock; rows are then locked in SKU order by <see cref="StockRowLocks"/>.
/// </summary>
public sealed class StockLedger(InventoryContext context, TimeProvider timeProvider, FaultSwitches faults, SkuIndexStatus skuIndex)
{
    /// <summary>
    /// Takes every line's quantity, or nothing: null when the order already has reservations (a replay).
    /// Throws <see cref="UnknownSkuException"/> or <see cref="InsufficientStockException"/> with nothing changed.
    /// </summary>
    public async Task<StockChange?> DeductAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);

        if ((await LockOrderAsync(orderId, cancellationToken)).Count > 0)
        {
            return null;
        }

        var available = await LockRowsAsync(Skus(lines), cancellationToken);
        var unknown = lines.Where(line => !available.ContainsKey(line.Sku)).Select(line => line.Sku).ToArray();
        if (unknown.Length > 0)
        {
            throw new UnknownSkuException(unknown);
        }

        var shortages = lines
            .Where(line => available[line.Sku] < line.Quantity)
            .Select(line => new StockShortage(line.Sku, line.Quantity, available[line.Sku]))
            .ToArray();
        if (shortages.Length > 0)
        {
            throw new InsufficientStockException(shortages);
        }

        var now = timeProvider.GetUtcNow();
        var stock = await MoveStockAsync(lines, sign: -1, now, cancellationToken);
        await InsertReservationsAsync(orderId, lines, InventoryContext.Deducted, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StockChange(lines, stock);
    }

    /// <summary>
    /// Gives back what the order's Deduct took (the recorded quantities, whatever <paramref name="lines"/> say).
    /// When the order has no reservations yet, records <paramref name="lines"/> as CANCELLED so that a Deduct arriving
    /// after its own compensation takes nothing. Null when nothing was given back.
    /// </summary>
    public async Task<StockChange?> ReleaseAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();

        var reservations = await LockOrderAsync(orderId, cancellationToken);
        if (reservations.Count == 0)
        {
            await InsertReservationsAsync(orderId, lines, InventoryContext.Cancelled, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var deducted = reservations
            .Where(reservation => reservation.Status == InventoryContext.Deducted)
            .Select(reservation => new StockQuantity(reservation.Sku, reservation.Quantity))
            .ToArray();
        if (deducted.Length == 0)
        {
            return null;
        }

        await LockRowsAsync(Skus(deducted), cancellationToken);
        var stock = await MoveStockAsync(deducted, sign: 1, now, cancellationToken);
        await context.Reservations
            .Where(reservation => reservation.OrderId == orderId && reservation.Status == InventoryContext.Deducted)
            .ExecuteUpdateAsync(
                reservation => reservation
                    .SetProperty(r => r.Status, InventoryContext.Released)
                    .SetProperty(r => r.UpdatedAt, now),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StockChange(deducted, stock);
    }

    private async Task<Dictionary<string, int>> LockRowsAsync(string[] skus, CancellationToken cancellationToken)
    {
        // The row locks and the stock update that follows both look the rows up by SKU.
        skuIndex.RecordIfMissing(Activity.Current);
        if (!await faults.IsOnAsync(KnownFaults.InventoryUnorderedLocks, cancellationToken))
        {
            return await StockRowLocks.LockAsync(context, skus, cancellationToken);
        }

        FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.InventoryUnorderedLocks);
        return await StockRowLocks.LockInRequestOrderAsync(context, skus, cancellationToken);
    }

    /// <summary>
    /// Serialises the calls of one order (a Deduct and its compensating Release may run at the same time), then
    /// reads the order's reservations.
    /// </summary>
    private async Task<List<StockReservation>> LockOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({orderId}::text, 0))", cancellationToken);
        return await context.Reservations.AsNoTracking().Where(reservation => reservation.OrderId == orderId).ToListAsync(cancellationToken);
    }

    /// <summary>Adds <paramref name="sign"/> times each line's quantity to its SKU's stock: the stock as the update returned it.</summary>
    private async Task<IReadOnlyList<StockItem>> MoveStockAsync(IReadOnlyList<StockQuantity> lines, int sign, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One set-based UPDATE ... RETURNING for every line, which LINQ's ExecuteUpdate cannot return rows from.
        var quantities = lines.Select(line => sign * line.Quantity).ToArray();
        var rows = await context.Items.FromSql($"""
            UPDATE inventory_items AS i SET available = i.available + d.quantity, version = i.version + 1, updated_at = {now}
            FROM unnest({Skus(lines)}::text[], {quantities}::int[]) AS d(sku, quantity)
            WHERE i.sku = d.sku
            RETURNING i.*
            """).AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.Select(row => new StockItem(row.Sku, row.Name, row.Price, row.Available, row.Version))];
    }

    private Task InsertReservationsAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        context.Reservations.AddRange(lines.Select(line => new StockReservation
        {
            OrderId = orderId,
            Sku = line.Sku,
            Quantity = line.Quantity,
            Status = status,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        return SaveAndForgetAsync(cancellationToken);
    }

    // The ledger reads with raw locks and set-based updates; nothing it inserted is needed again in this context.
    private async Task SaveAndForgetAsync(CancellationToken cancellationToken)
    {
        // Inside the ledger's own transaction EF Core would wrap the insert in a savepoint (two more round trips while
        // the rows are locked). A failed insert fails the whole change anyway, so there is nothing to roll back to.
        context.Database.AutoSavepointsEnabled = false;
        await context.SaveChangesAsync(cancellationToken);
        context.ChangeTracker.Clear();
    }

    private static string[] Skus(IEnumerable<StockQuantity> lines) => [.. lines.Select(line => line.Sku)];
}
