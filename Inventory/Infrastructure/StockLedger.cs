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
    // Compiled once (EF Core's compiled queries): every stock change reads the order's reservations, and as LINQ each
    // read built its expression tree again and looked its translation up in the query cache.
    private static readonly Func<InventoryContext, Guid, IAsyncEnumerable<StockReservation>> ReservationsOf =
        EF.CompileAsyncQuery((InventoryContext context, Guid orderId) =>
            context.Reservations.AsNoTracking().Where(reservation => reservation.OrderId == orderId));

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

        var stock = await TakeAndReserveAsync(orderId, lines, timeProvider.GetUtcNow(), cancellationToken);
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
            await RecordCancelledAsync(orderId, lines, now, cancellationToken);
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
        var stock = await GiveBackAndReleaseAsync(orderId, deducted, now, cancellationToken);
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
        return await ReservationsOf(context, orderId).ToListAsync(cancellationToken);
    }

    // The stock update and the reservations' change are one statement each way (a data-modifying CTE runs once, with
    // the UPDATE), so the locked rows wait for one round trip fewer before the commit. LINQ's ExecuteUpdate can neither
    // return the rows nor be combined with an INSERT.

    /// <summary>Takes each line's quantity and records it as DEDUCTED: the stock as the update returned it.</summary>
    private async Task<IReadOnlyList<StockItem>> TakeAndReserveAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var skus = Skus(lines);
        var quantities = lines.Select(line => line.Quantity).ToArray();
        var rows = await context.Items.FromSql($"""
            WITH reserved AS (
                INSERT INTO inventory_reservations (order_id, sku, quantity, status, created_at, updated_at)
                SELECT {orderId}, r.sku, r.quantity, {InventoryContext.Deducted}, {now}, {now}
                FROM unnest({skus}::text[], {quantities}::int[]) AS r(sku, quantity)
            )
            UPDATE inventory_items AS i SET available = i.available - d.quantity, version = i.version + 1, updated_at = {now}
            FROM unnest({skus}::text[], {quantities}::int[]) AS d(sku, quantity)
            WHERE i.sku = d.sku
            RETURNING i.*
            """).AsNoTracking().ToListAsync(cancellationToken);
        return ToStock(rows);
    }

    /// <summary>Gives back what the order's DEDUCTED reservations hold and marks them RELEASED: the stock as the update returned it.</summary>
    private async Task<IReadOnlyList<StockItem>> GiveBackAndReleaseAsync(Guid orderId, IReadOnlyList<StockQuantity> deducted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var quantities = deducted.Select(line => line.Quantity).ToArray();
        var rows = await context.Items.FromSql($"""
            WITH released AS (
                UPDATE inventory_reservations SET status = {InventoryContext.Released}, updated_at = {now}
                WHERE order_id = {orderId} AND status = {InventoryContext.Deducted}
            )
            UPDATE inventory_items AS i SET available = i.available + d.quantity, version = i.version + 1, updated_at = {now}
            FROM unnest({Skus(deducted)}::text[], {quantities}::int[]) AS d(sku, quantity)
            WHERE i.sku = d.sku
            RETURNING i.*
            """).AsNoTracking().ToListAsync(cancellationToken);
        return ToStock(rows);
    }

    private static StockItem[] ToStock(IEnumerable<InventoryItem> rows) =>
        [.. rows.Select(row => new StockItem(row.Sku, row.Name, row.Price, row.Available, row.Version))];

    /// <summary>Records a Release that came before its Deduct: CANCELLED reservations, so the late Deduct takes nothing.</summary>
    private async Task RecordCancelledAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, DateTimeOffset now, CancellationToken cancellationToken)
    {
        context.Reservations.AddRange(lines.Select(line => new StockReservation
        {
            OrderId = orderId,
            Sku = line.Sku,
            Quantity = line.Quantity,
            Status = InventoryContext.Cancelled,
            CreatedAt = now,
            UpdatedAt = now,
        }));
        // Inside the ledger's own transaction EF Core would wrap the insert in a savepoint (two more round trips while
        // the order is locked). A failed insert fails the whole change anyway, so there is nothing to roll back to.
        context.Database.AutoSavepointsEnabled = false;
        await context.SaveChangesAsync(cancellationToken);
        // Nothing the ledger inserted is needed again in this (pooled) context.
        context.ChangeTracker.Clear();
    }

    private static string[] Skus(IEnumerable<StockQuantity> lines) => [.. lines.Select(line => line.Sku)];
}
