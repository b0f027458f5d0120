using Npgsql;
using OrderSystem.Inventory.Model;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>Reads of <c>inventory_items</c> that change nothing: the availability fallback and the catalogue.</summary>
public sealed class StockCatalog(NpgsqlDataSource dataSource)
{
    /// <summary>The SKUs that exist, in one query; unknown SKUs are simply absent from the answer.</summary>
    public async Task<IReadOnlyList<StockItem>> GetItemsAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        await using var sql = dataSource.CreateCommand("SELECT sku, name, price, available FROM inventory_items WHERE sku = ANY($1)");
        sql.Parameters.Add(new() { Value = skus as string[] ?? [.. skus] });

        var items = new List<StockItem>(skus.Count);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StockItem(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt32(3)));
        }

        return items;
    }

    /// <summary>Up to <paramref name="limit"/> products in SKU order, starting after <paramref name="afterSku"/>.</summary>
    public async Task<IReadOnlyList<CatalogProduct>> ListProductsAsync(string? afterSku, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var sql = dataSource.CreateCommand("""
            SELECT i.sku, i.name, c.name, i.price, i.available
            FROM inventory_items i
            JOIN categories c ON c.id = i.category_id
            WHERE $1::text IS NULL OR i.sku > $1
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
}
