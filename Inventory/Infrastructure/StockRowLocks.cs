using Npgsql;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>
/// Locks the <c>inventory_items</c> rows a stock change touches, always in SKU order: two transactions that lock
/// overlapping SKUs then wait for each other in the same order and cannot deadlock, whatever order their requests
/// listed the SKUs in. Every row lock of the ledger goes through here.
/// </summary>
internal static class StockRowLocks
{
    /// <summary>The available stock of each SKU that exists, now locked until the transaction ends.</summary>
    public static async Task<Dictionary<string, int>> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        // PostgreSQL sorts before it applies the locking clause, so the rows are locked one by one in SKU order.
        await using var sql = new NpgsqlCommand(
            "SELECT sku, available FROM inventory_items WHERE sku = ANY($1) ORDER BY sku FOR UPDATE", connection, transaction);
        sql.Parameters.Add(new() { Value = skus.ToArray() });

        var available = new Dictionary<string, int>(skus.Count, StringComparer.Ordinal);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            available[reader.GetString(0)] = reader.GetInt32(1);
        }

        return available;
    }

    /// <summary>
    /// The fault <see cref="ServiceDefaults.Faults.KnownFaults.InventoryUnorderedLocks"/>: the same locks, one row at a
    /// time in the order the request listed the SKUs, so two transactions listing them in opposite orders deadlock.
    /// </summary>
    public static async Task<Dictionary<string, int>> LockInRequestOrderAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var available = new Dictionary<string, int>(skus.Count, StringComparer.Ordinal);
        foreach (var sku in skus)
        {
            await using var sql = new NpgsqlCommand("SELECT available FROM inventory_items WHERE sku = $1 FOR UPDATE", connection, transaction);
            sql.Parameters.Add(new() { Value = sku });
            if (await sql.ExecuteScalarAsync(cancellationToken) is int stock)
            {
                available[sku] = stock;
            }
        }

        return available;
    }
}
