using System.Diagnostics;
using Npgsql;
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
public sealed class StockLedger(NpgsqlDataSource dataSource, TimeProvider timeProvider, FaultSwitches faults, SkuIndexStatus skuIndex)
{
    private const string Deducted = "DEDUCTED";
    private const string Released = "RELEASED";
    private const string Cancelled = "CANCELLED";

    // The stock as the cache keeps it, in the order StockItemRows reads it.
    private const string ReturningStock = "RETURNING i.sku, i.name, i.price, i.available, i.version";

    /// <summary>
    /// Takes every line's quantity, or nothing: null when the order already has reservations (a replay).
    /// Throws <see cref="UnknownSkuException"/> or <see cref="InsufficientStockException"/> with nothing changed.
    /// </summary>
    public async Task<StockChange?> DeductAsync(Guid orderId, IReadOnlyList<StockQuantity> lines, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        if ((await LockOrderAsync(connection, transaction, orderId, cancellationToken)).Count > 0)
        {
            return null;
        }

        var available = await LockRowsAsync(connection, transaction, [.. lines.Select(line => line.Sku)], cancellationToken);
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
        var stock = await UpdateStockAsync(
            connection,
            transaction,
            Command($"""
                UPDATE inventory_items AS i SET available = i.available - d.quantity, version = i.version + 1, updated_at = $3
                FROM unnest($1::text[], $2::int[]) AS d(sku, quantity)
                WHERE i.sku = d.sku
                {ReturningStock}
                """, Skus(lines), Quantities(lines), now),
            InsertReservations(orderId, lines, Deducted, now),
            cancellationToken);
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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();

        var reservations = await LockOrderAsync(connection, transaction, orderId, cancellationToken);
        if (reservations.Count == 0)
        {
            await using (var cancel = new NpgsqlBatch(connection, transaction) { BatchCommands = { InsertReservations(orderId, lines, Cancelled, now) } })
            {
                await cancel.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return null;
        }

        var deducted = reservations.Where(r => r.Status == Deducted).Select(r => r.Line).ToArray();
        if (deducted.Length == 0)
        {
            return null;
        }

        await LockRowsAsync(connection, transaction, [.. deducted.Select(line => line.Sku)], cancellationToken);
        var stock = await UpdateStockAsync(
            connection,
            transaction,
            Command($"""
                UPDATE inventory_items AS i SET available = i.available + d.quantity, version = i.version + 1, updated_at = $3
                FROM unnest($1::text[], $2::int[]) AS d(sku, quantity)
                WHERE i.sku = d.sku
                {ReturningStock}
                """, Skus(deducted), Quantities(deducted), now),
            Command(
                "UPDATE inventory_reservations SET status = $2, updated_at = $3 WHERE order_id = $1 AND status = $4",
                orderId, Released, now, Deducted),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new StockChange(deducted, stock);
    }

    private async Task<Dictionary<string, int>> LockRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string[] skus, CancellationToken cancellationToken)
    {
        // The row locks and the stock update that follows both look the rows up by SKU.
        skuIndex.RecordIfMissing(Activity.Current);
        if (!await faults.IsOnAsync(KnownFaults.InventoryUnorderedLocks, cancellationToken))
        {
            return await StockRowLocks.LockAsync(connection, transaction, skus, cancellationToken);
        }

        FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.InventoryUnorderedLocks);
        return await StockRowLocks.LockInRequestOrderAsync(connection, transaction, skus, cancellationToken);
    }

    /// <summary>
    /// Serialises the calls of one order (a Deduct and its compensating Release may run at the same time), then
    /// reads the order's reservations.
    /// </summary>
    private static async Task<List<Reservation>> LockOrderAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid orderId, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", orderId),
                Command("SELECT sku, quantity, status FROM inventory_reservations WHERE order_id = $1", orderId),
            },
        };

        var reservations = new List<Reservation>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            reservations.Add(new Reservation(new StockQuantity(reader.GetString(0), reader.GetInt32(1)), reader.GetString(2)));
        }

        return reservations;
    }

    private static NpgsqlBatchCommand InsertReservations(Guid orderId, IReadOnlyList<StockQuantity> lines, string status, DateTimeOffset now) =>
        Command("""
            INSERT INTO inventory_reservations (order_id, sku, quantity, status, created_at, updated_at)
            SELECT $1, d.sku, d.quantity, $4, $5, $5 FROM unnest($2::text[], $3::int[]) AS d(sku, quantity)
            """, orderId, Skus(lines), Quantities(lines), status, now);

    /// <summary>The stock update and the reservations' change in one round trip: the stock as the update returned it.</summary>
    private static async Task<IReadOnlyList<StockItem>> UpdateStockAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        NpgsqlBatchCommand stockUpdate,
        NpgsqlBatchCommand reservationsChange,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { stockUpdate, reservationsChange } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var stock = await StockItemRows.ReadAllAsync(reader, cancellationToken);

        // A failure of the second statement surfaces only when the reader reaches it, and must do so before the commit.
        while (await reader.NextResultAsync(cancellationToken))
        {
        }

        return stock;
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private static string[] Skus(IEnumerable<StockQuantity> lines) => [.. lines.Select(line => line.Sku)];

    private static int[] Quantities(IEnumerable<StockQuantity> lines) => [.. lines.Select(line => line.Quantity)];

    private sealed record Reservation(StockQuantity Line, string Status);
}
