using Npgsql;

namespace OrderSystem.Diagnostics.Audit;

/// <summary>The four databases an audit reads; a read-only role is enough.</summary>
public sealed record AuditDatabases(NpgsqlDataSource Orders, NpgsqlDataSource Inventory, NpgsqlDataSource Payments, NpgsqlDataSource Notifications);

/// <summary>
/// Reads an <see cref="AuditSnapshot"/>: the orders created since a moment, and every order that a payment or stock
/// reservation made since then belongs to, with everything each service holds about them, and every SKU's stock. The
/// databases are read one after the other, which payments and reservations name orders first, so that an order they
/// name is read after them; an order still settling may be read half-way, which the audit's grace period covers.
/// </summary>
public static class AuditSnapshotReader
{
    public static async Task<AuditSnapshot> ReadAsync(AuditDatabases databases, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(databases);
        // Which orders: those created since, and those a payment or a deduction made since belongs to (an order that
        // straddles the moment). Then every payment and reservation of those orders, whenever made.
        var paidSince = await ReadAsync(databases.Payments, "SELECT DISTINCT order_id FROM payments WHERE created_at >= @since", since, null, row => row.GetGuid(0), cancellationToken);
        var reservedSince = await ReadAsync(databases.Inventory, "SELECT DISTINCT order_id FROM inventory_reservations WHERE created_at >= @since", since, null, row => row.GetGuid(0), cancellationToken);
        Guid[] named = [.. paidSince.Concat(reservedSince).Distinct()];
        var orders = await ReadAsync(databases.Orders,
            """
            SELECT o.id, o.status, o.total_amount, o.currency, o.traceparent, o.updated_at,
                   array_remove(array_agg(i.sku ORDER BY i.line), NULL), array_remove(array_agg(i.quantity ORDER BY i.line), NULL)
            FROM orders AS o LEFT JOIN order_items AS i ON i.order_id = o.id
            WHERE o.created_at >= @since OR o.id = ANY(@ids)
            GROUP BY o.id
            """,
            since, named,
            row => new AuditedOrder(
                row.GetGuid(0),
                row.GetString(1),
                row.GetDecimal(2),
                row.GetString(3),
                row.IsDBNull(4) ? null : TraceIdOf(row.GetString(4)),
                row.GetFieldValue<DateTimeOffset>(5),
                [.. row.GetFieldValue<string[]>(6).Zip(row.GetFieldValue<int[]>(7), (sku, quantity) => new AuditedOrderLine(sku, quantity))]),
            cancellationToken);
        // Orders that do not exist keep their ids here, so that money or stock taken for them is still read.
        Guid[] audited = [.. orders.Select(o => o.Id).Union(named)];
        var payments = await ReadAsync(databases.Payments,
            "SELECT order_id, status, amount, currency FROM payments WHERE order_id = ANY(@ids)",
            since, audited,
            row => new AuditedPayment(row.GetGuid(0), row.GetString(1), row.GetDecimal(2), row.GetString(3)),
            cancellationToken);
        var reservations = await ReadAsync(databases.Inventory,
            "SELECT order_id, sku, quantity, status FROM inventory_reservations WHERE order_id = ANY(@ids)",
            since, audited,
            row => new AuditedReservation(row.GetGuid(0), row.GetString(1), row.GetInt32(2), row.GetString(3)),
            cancellationToken);
        Guid[] orderIds = [.. orders.Select(o => o.Id)];
        var events = await ReadAsync(databases.Orders,
            // The outbox keys each order's event by the order id (Orders' OrderCreatedMessage).
            "SELECT event_id, message_key::uuid, event_type, published_at IS NOT NULL FROM outbox WHERE message_key = ANY(@ids::text[])",
            since, orderIds,
            row => new AuditedEvent(row.GetGuid(0), row.GetGuid(1), row.GetString(2), row.GetBoolean(3)),
            cancellationToken);
        var notifications = await ReadAsync(databases.Notifications,
            "SELECT event_id, order_id, channel FROM notifications WHERE order_id = ANY(@ids)",
            since, orderIds,
            row => new AuditedNotification(row.GetGuid(0), row.GetGuid(1), row.GetString(2)),
            cancellationToken);
        var stock = await ReadListedStockAsync(databases.Inventory, cancellationToken);
        return new AuditSnapshot(orders, payments, reservations, events, notifications, stock);
    }

    /// <summary>Every listed SKU's total (available plus held by orders), as a baseline for a later audit's stock balance.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> ReadStockAsync(NpgsqlDataSource inventory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var stock = await ReadListedStockAsync(inventory, cancellationToken);
        return stock.ToDictionary(s => s.Sku, s => s.Total, StringComparer.Ordinal);
    }

    // One statement, so one snapshot: an order deducting or giving back stock meanwhile is seen on both sides or neither.
    private static Task<List<AuditedStock>> ReadListedStockAsync(NpgsqlDataSource inventory, CancellationToken cancellationToken) =>
        ReadAsync(inventory, """
            SELECT i.sku, i.available, COALESCE(sum(r.quantity) FILTER (WHERE r.status = 'DEDUCTED'), 0)::int
            FROM inventory_items i LEFT JOIN inventory_reservations r ON r.sku = i.sku
            WHERE i.listed
            GROUP BY i.sku, i.available
            """, DateTimeOffset.MinValue, null,
            row => new AuditedStock(row.GetString(0), row.GetInt32(1), row.GetInt32(2)), cancellationToken);

    /// <summary>The trace id of a W3C <c>traceparent</c> (version-traceid-spanid-flags).</summary>
    private static string? TraceIdOf(string traceParent) => traceParent.Split('-') is [_, var traceId, _, _] ? traceId : null;

    private static async Task<List<T>> ReadAsync<T>(NpgsqlDataSource database, string sql, DateTimeOffset since, Guid[]? ids, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(sql);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        if (ids is not null)
        {
            command.Parameters.AddWithValue("ids", ids);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
