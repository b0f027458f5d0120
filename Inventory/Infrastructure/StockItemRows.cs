using Npgsql;
using OrderSystem.Inventory.Model;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>Reads <see cref="StockItem"/>s from rows whose first columns are sku, name, price, available, version.</summary>
internal static class StockItemRows
{
    public static async Task<List<StockItem>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var items = new List<StockItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new StockItem(reader.GetString(0), reader.GetString(1), reader.GetDecimal(2), reader.GetInt32(3), reader.GetInt64(4)));
        }

        return items;
    }
}
