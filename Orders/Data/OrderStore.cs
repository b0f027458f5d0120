using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Outbox;

namespace OrderSystem.Orders.Data;

/// <summary>
/// The <c>orders</c>, <c>order_items</c> and (for confirmation) <c>outbox</c> tables. Every write is one statement, so
/// each is atomic on its own; status changes only ever leave PENDING, so whoever changes it first decides.
/// </summary>
public sealed class OrderStore(NpgsqlDataSource dataSource)
{
    private const string SelectOrders = """
        SELECT o.id, o.user_id, o.status, o.failure_reason, o.failure_kind, o.total_amount, o.currency, o.idempotency_key, o.payment_id,
               o.traceparent, o.tracestate, o.created_at, o.updated_at,
               array_agg(i.sku ORDER BY i.line), array_agg(i.quantity ORDER BY i.line), array_agg(i.unit_price ORDER BY i.line)
        FROM orders o JOIN order_items i ON i.order_id = o.id
        """;

    /// <summary>
    /// Inserts a PENDING order with its items, owned by the caller until <paramref name="leaseUntil"/>. False when the
    /// user already has an order with the same idempotency key: concurrent duplicates serialise on the unique index and
    /// exactly one inserts.
    /// </summary>
    public async Task<bool> TryInsertPendingAsync(OrderRecord order, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        await using var command = dataSource.CreateCommand("""
            WITH inserted AS (
                INSERT INTO orders (id, user_id, status, total_amount, currency, idempotency_key, traceparent, tracestate,
                                    lease_until, created_at, updated_at)
                VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, $7, $8, $9, $9)
                ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id)
            INSERT INTO order_items (order_id, line, sku, quantity, unit_price)
            SELECT inserted.id, line.number, line.sku, line.quantity, line.unit_price
            FROM inserted, unnest($10::smallint[], $11::text[], $12::integer[], $13::numeric[]) AS line(number, sku, quantity, unit_price)
            """);
        var parameters = command.Parameters;
        parameters.Add(new() { Value = order.Id });
        parameters.Add(new() { Value = order.UserId });
        parameters.Add(new() { Value = order.TotalAmount });
        parameters.Add(new() { Value = order.Currency });
        parameters.Add(Nullable(order.IdempotencyKey));
        parameters.Add(Nullable(order.TraceParent));
        parameters.Add(Nullable(order.TraceState));
        parameters.Add(new() { Value = leaseUntil });
        parameters.Add(new() { Value = order.CreatedAt });
        parameters.Add(new() { Value = Enumerable.Range(1, order.Lines.Count).Select(number => (short)number).ToArray() });
        parameters.Add(new() { Value = order.Lines.Select(line => line.Sku).ToArray() });
        parameters.Add(new() { Value = order.Lines.Select(line => line.Quantity).ToArray() });
        parameters.Add(new() { Value = order.Lines.Select(line => line.UnitPrice).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<OrderRecord?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{SelectOrders} WHERE o.id = $1 GROUP BY o.id");
        command.Parameters.Add(new() { Value = orderId });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<OrderRecord?> FindByIdempotencyKeyAsync(string userId, string idempotencyKey, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"{SelectOrders} WHERE o.user_id = $1 AND o.idempotency_key = $2 GROUP BY o.id");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = idempotencyKey });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>A user's orders, newest first, strictly after <paramref name="after"/> in that order.</summary>
    public async Task<IReadOnlyList<OrderRecord>> ListAsync(string userId, OrderCursor? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            {SelectOrders}
            WHERE o.user_id = $1 AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2, $3))
            GROUP BY o.id
            ORDER BY o.created_at DESC, o.id DESC
            LIMIT $4
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = after is null ? DBNull.Value : after.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = after is null ? DBNull.Value : after.OrderId, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Extends the caller's ownership of a PENDING order; false when the order is no longer PENDING.</summary>
    public async Task<bool> TryRenewLeaseAsync(Guid orderId, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE orders SET lease_until = $2 WHERE id = $1 AND status = 'PENDING'");
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = leaseUntil });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>
    /// Takes over up to <paramref name="limit"/> PENDING orders whose lease ran out (their saga died), leasing them until
    /// <paramref name="leaseUntil"/>. SKIP LOCKED lets several replicas recover side by side without taking the same order.
    /// </summary>
    public async Task<IReadOnlyList<OrderRecord>> ClaimStalledAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH claimed AS (
                UPDATE orders SET lease_until = $2
                WHERE id IN (SELECT id FROM orders WHERE status = 'PENDING' AND lease_until < $1
                             ORDER BY lease_until LIMIT $3 FOR UPDATE SKIP LOCKED)
                RETURNING id)
            {SelectOrders} JOIN claimed ON claimed.id = o.id
            GROUP BY o.id
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = leaseUntil });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>
    /// Confirms a PENDING order and writes its <paramref name="message"/> to the outbox in the same statement (one
    /// transaction): either both happen or neither. False when the order was no longer PENDING.
    /// </summary>
    public async Task<bool> TryConfirmAsync(Guid orderId, Guid paymentId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var command = dataSource.CreateCommand("""
            WITH confirmed AS (
                UPDATE orders SET status = 'CONFIRMED', payment_id = $2, updated_at = $3
                WHERE id = $1 AND status = 'PENDING'
                RETURNING id)
            INSERT INTO outbox (event_id, topic, message_key, event_type, payload, headers, created_at, next_attempt_at)
            SELECT $4, $5, $6, $7, $8, $9, $3, $3 FROM confirmed
            """);
        var parameters = command.Parameters;
        parameters.Add(new() { Value = orderId });
        parameters.Add(new() { Value = paymentId });
        parameters.Add(new() { Value = now });
        parameters.Add(new() { Value = message.EventId });
        parameters.Add(new() { Value = message.Topic });
        parameters.Add(new() { Value = message.Key });
        parameters.Add(new() { Value = message.EventType });
        parameters.Add(new() { Value = message.Payload, NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = JsonSerializer.Serialize(message.Headers), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Marks a PENDING order FAILED with <paramref name="failure"/>; false when it was no longer PENDING.</summary>
    public async Task<bool> TryFailAsync(Guid orderId, OrderFailure failure, Guid? paymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        await using var command = dataSource.CreateCommand("""
            UPDATE orders SET status = 'FAILED', failure_reason = $2, failure_kind = $5, payment_id = coalesce($3, payment_id), updated_at = $4
            WHERE id = $1 AND status = 'PENDING'
            """);
        command.Parameters.Add(new() { Value = orderId });
        command.Parameters.Add(new() { Value = failure.Reason });
        command.Parameters.Add(new() { Value = paymentId is { } id ? id : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = OrderFailure.ToText(failure.Kind) });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static NpgsqlParameter Nullable(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static async Task<IReadOnlyList<OrderRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var orders = new List<OrderRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var skus = reader.GetFieldValue<string[]>(13);
            var quantities = reader.GetFieldValue<int[]>(14);
            var unitPrices = reader.GetFieldValue<decimal[]>(15);
            orders.Add(new OrderRecord(
                Id: reader.GetGuid(0),
                UserId: reader.GetString(1),
                Status: OrderStatusText.Parse(reader.GetString(2)),
                Failure: reader.IsDBNull(4) ? null : new OrderFailure(OrderFailure.ParseKind(reader.GetString(4)), reader.GetString(3)),
                Lines: [.. skus.Select((sku, index) => new OrderLine(sku, quantities[index], unitPrices[index]))],
                TotalAmount: reader.GetDecimal(5),
                Currency: reader.GetString(6),
                IdempotencyKey: reader.IsDBNull(7) ? null : reader.GetString(7),
                PaymentId: reader.IsDBNull(8) ? null : reader.GetGuid(8),
                TraceParent: reader.IsDBNull(9) ? null : reader.GetString(9),
                TraceState: reader.IsDBNull(10) ? null : reader.GetString(10),
                CreatedAt: reader.GetFieldValue<DateTimeOffset>(11),
                UpdatedAt: reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return orders;
    }
}
