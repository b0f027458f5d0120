using System.Diagnostics;
using Npgsql;
using OrderSystem.Inventory.Faults;
using OrderSystem.Inventory.Model;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>
/// Reads of <c>inventory_items</c> that change nothing: the availability fallback (any SKU, archived ones too) and
/// the catalogue (listed products only).
/// </summary>
public sealed class StockCatalog(NpgsqlDataSource dataSource, FaultSwitches faults, SkuIndexStatus skuIndex)
{
    /// <summary>The SKUs that exist, in one query; unknown SKUs are simply absent from the answer.</summary>
    public async Task<IReadOnlyList<StockItem>> GetItemsAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        skuIndex.RecordIfMissing(Activity.Current);
        await using var sql = dataSource.CreateCommand("SELECT sku, name, price, available, version FROM inventory_items WHERE sku = ANY($1)");
        sql.Parameters.Add(new() { Value = skus as string[] ?? [.. skus] });

        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        return await StockItemRows.ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> products in SKU order, starting after <paramref name="afterSku"/>.</summary>
    public async Task<IReadOnlyList<CatalogProduct>> ListProductsAsync(string? afterSku, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (await faults.IsOnAsync(KnownFaults.ProductsNPlusOne, cancellationToken))
        {
            FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.ProductsNPlusOne);
            return await ListProductsOneCategoryAtATimeAsync(afterSku, limit, cancellationToken);
        }

        await using var sql = dataSource.CreateCommand("""
            SELECT i.sku, i.name, c.name, i.price, i.available
            FROM inventory_items i
            JOIN categories c ON c.id = i.category_id
            WHERE i.listed AND ($1::text IS NULL OR i.sku > $1)
            ORDER BY i.sku
            LIMIT $2
            """);
        sql.Parameters.Add(new() { Value = (object?)afterSku ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        sql.Parameters.Add(new() { Value = limit });

        var products = new List<CatalogProduct>(limit);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            products.Add(new CatalogProduct(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDecimal(3), reader.GetInt32(4)));
        }

        return products;
    }

    /// <summary>
    /// The fault <see cref="KnownFaults.ProductsNPlusOne"/>: the same page, but each product's category is read with
    /// its own query, the classic N+1 an ORM's lazy loading produces.
    /// </summary>
    private async Task<IReadOnlyList<CatalogProduct>> ListProductsOneCategoryAtATimeAsync(string? afterSku, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = new List<(string Sku, string Name, int CategoryId, decimal Price, int Available)>(limit);
        await using (var sql = new NpgsqlCommand("""
            SELECT sku, name, category_id, price, available FROM inventory_items
            WHERE listed AND ($1::text IS NULL OR sku > $1)
            ORDER BY sku
            LIMIT $2
            """, connection))
        {
            sql.Parameters.Add(new() { Value = (object?)afterSku ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            sql.Parameters.Add(new() { Value = limit });
            await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetDecimal(3), reader.GetInt32(4)));
            }
        }

        var products = new List<CatalogProduct>(rows.Count);
        foreach (var row in rows)
        {
            await using var category = new NpgsqlCommand("SELECT name FROM categories WHERE id = $1", connection);
            category.Parameters.Add(new() { Value = row.CategoryId });
            var categoryName = (string)(await category.ExecuteScalarAsync(cancellationToken))!;
            products.Add(new CatalogProduct(row.Sku, row.Name, categoryName, row.Price, row.Available));
        }

        return products;
    }
}
