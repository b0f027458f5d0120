using Microsoft.EntityFrameworkCore;
using OrderSystem.Inventory.Data;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>
/// Locks the <c>inventory_items</c> rows a stock change touches, always in SKU order: two transactions that lock
/// overlapping SKUs then wait for each other in the same order and cannot deadlock, whatever order their requests
/// listed the SKUs in. Every row lock of the ledger goes through here. The SQL is written out because LINQ has no
/// locking clause; EF Core runs it as written since nothing is composed on it.
/// </summary>
internal static class StockRowLocks
{
    /// <summary>The available stock of each SKU that exists, now locked until the transaction ends.</summary>
    public static async Task<Dictionary<string, int>> LockAsync(InventoryContext context, string[] skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        // PostgreSQL sorts before it applies the locking clause, so the rows are locked one by one in SKU order.
        var rows = await context.Items
            .FromSql($"SELECT * FROM inventory_items WHERE sku = ANY({skus}) ORDER BY sku FOR UPDATE")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(row => row.Sku, row => row.Available, StringComparer.Ordinal);
    }

    /// <summary>
    /// The fault <see cref="ServiceDefaults.Faults.KnownFaults.InventoryUnorderedLocks"/>: the same locks, one row at a
    /// time in the order the request listed the SKUs, so two transactions listing them in opposite orders deadlock.
    /// </summary>
    public static async Task<Dictionary<string, int>> LockInRequestOrderAsync(InventoryContext context, string[] skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var available = new Dictionary<string, int>(skus.Length, StringComparer.Ordinal);
        foreach (var sku in skus)
        {
            var row = (await context.Items
                .FromSql($"SELECT * FROM inventory_items WHERE sku = {sku} FOR UPDATE")
                .AsNoTracking()
                .ToListAsync(cancellationToken)).SingleOrDefault();
            if (row is not null)
            {
                available[sku] = row.Available;
            }
        }

        return available;
    }
}
