using Npgsql;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Orders;

/// <summary>
/// What the tests set up and check directly in the services' databases: products of their own (a unique SKU each, so
/// stock counts are exact whatever else runs), stock, payments and the outbox.
/// </summary>
public sealed class SystemData(Topology application) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _inventory = NpgsqlDataSource.Create(application.GetConnectionString("inventorydb"));
    private readonly NpgsqlDataSource _payments = NpgsqlDataSource.Create(application.GetConnectionString("paymentsdb"));
    private readonly NpgsqlDataSource _orders = NpgsqlDataSource.Create(application.GetConnectionString("ordersdb"));

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    /// <summary>Adds a product only this test orders (category 1 exists in Inventory's seed).</summary>
    public async Task<string> AddProductAsync(int available, decimal price = 12.50m)
    {
        var sku = $"T-{Guid.NewGuid():N}"[..32];
        await using var command = _inventory.CreateCommand(
            "INSERT INTO inventory_items (sku, name, category_id, price, available) VALUES ($1, 'Orders test product', 1, $2, $3)");
        command.Parameters.Add(new() { Value = sku });
        command.Parameters.Add(new() { Value = price });
        command.Parameters.Add(new() { Value = available });
        await command.ExecuteNonQueryAsync(CancellationToken);
        return sku;
    }

    public async Task<int> GetAvailableAsync(string sku)
    {
        await using var command = _inventory.CreateCommand("SELECT available FROM inventory_items WHERE sku = $1");
        command.Parameters.Add(new() { Value = sku });
        return (int)(await command.ExecuteScalarAsync(CancellationToken))!;
    }

    /// <summary>Every payment row of the order, as (status, amount).</summary>
    public async Task<IReadOnlyList<(string Status, decimal Amount)>> GetPaymentsAsync(Guid orderId)
    {
        await using var command = _payments.CreateCommand("SELECT status, amount FROM payments WHERE order_id = $1");
        command.Parameters.Add(new() { Value = orderId });
        var payments = new List<(string, decimal)>();
        await using var reader = await command.ExecuteReaderAsync(CancellationToken);
        while (await reader.ReadAsync(CancellationToken))
        {
            payments.Add((reader.GetString(0), reader.GetDecimal(1)));
        }

        return payments;
    }

    /// <summary>The user's orders in ordersdb, however the service answers.</summary>
    public async Task<int> CountOrdersAsync(string userId)
    {
        await using var command = _orders.CreateCommand("SELECT count(*) FROM orders WHERE user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return (int)(long)(await command.ExecuteScalarAsync(CancellationToken))!;
    }

    public Task<OutboxRow?> GetOutboxRowAsync(Guid orderId) => OutboxRow.FindAsync(_orders, orderId, CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _inventory.DisposeAsync();
        await _payments.DisposeAsync();
        await _orders.DisposeAsync();
    }
}

/// <summary>An order's row in the outbox table.</summary>
public sealed record OutboxRow(Guid EventId, string EventType, string Payload, string Headers, int Attempts, string? LastError, DateTimeOffset? PublishedAt)
{
    public static async Task<OutboxRow?> FindAsync(NpgsqlDataSource ordersDatabase, Guid orderId, CancellationToken cancellationToken)
    {
        await using var command = ordersDatabase.CreateCommand(
            "SELECT event_id, event_type, payload::text, headers::text, attempts, last_error, published_at FROM outbox WHERE message_key = $1");
        command.Parameters.Add(new() { Value = orderId.ToString() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var row = new OutboxRow(
            reader.GetGuid(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6));
        Assert.False(await reader.ReadAsync(cancellationToken), $"order {orderId} has more than one outbox message");
        return row;
    }
}
