using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Outbox;

namespace OrderSystem.Orders.Data;

/// <summary>
/// The <c>orders</c>, <c>order_items</c> and (for confirmation) <c>outbox</c> tables. Every write is one statement, so
/// each is atomic on its own; status changes only ever leave PENDING, so whoever changes it first decides. Writes that
/// must decide and write in one statement (the idempotent insert, the confirmation with its outbox row, the stalled
/// claim with SKIP LOCKED) are SQL through the context; the rest is LINQ.
/// </summary>
public sealed class OrderStore(OrdersContext context)
{
    // The two lookups every order and every read of one makes are compiled once (EF Core's compiled queries): as LINQ
    // each call built its expression tree again, extracted its parameters and looked its translation up in the query
    // cache, a tenth of Orders' CPU under load (docs/benchmarks.md, eleventh round).
    private static readonly Func<OrdersContext, Guid, CancellationToken, Task<OrderRow?>> OrderById =
        EF.CompileAsyncQuery((OrdersContext context, Guid orderId, CancellationToken cancellationToken) =>
            context.Orders.AsNoTracking().Include(order => order.Items).SingleOrDefault(order => order.Id == orderId));

    private static readonly Func<OrdersContext, string, string, CancellationToken, Task<OrderRow?>> OrderByIdempotencyKey =
        EF.CompileAsyncQuery((OrdersContext context, string userId, string idempotencyKey, CancellationToken cancellationToken) =>
            context.Orders.AsNoTracking().Include(order => order.Items)
                .SingleOrDefault(order => order.UserId == userId && order.IdempotencyKey == idempotencyKey));

    /// <summary>
    /// Inserts a PENDING order with its items, owned by the caller until <paramref name="leaseUntil"/>. False when the
    /// user already has an order with the same idempotency key: concurrent duplicates serialise on the unique index and
    /// exactly one inserts.
    /// </summary>
    public async Task<bool> TryInsertPendingAsync(OrderRecord order, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var numbers = Enumerable.Range(1, order.Lines.Count).Select(number => (short)number).ToArray();
        var skus = order.Lines.Select(line => line.Sku).ToArray();
        var quantities = order.Lines.Select(line => line.Quantity).ToArray();
        var unitPrices = order.Lines.Select(line => line.UnitPrice).ToArray();
        return await context.Database.ExecuteSqlAsync($"""
            WITH inserted AS (
                INSERT INTO orders (id, user_id, status, total_amount, currency, idempotency_key, traceparent, tracestate,
                                    lease_until, created_at, updated_at)
                VALUES ({order.Id}, {order.UserId}, 'PENDING', {order.TotalAmount}, {order.Currency}, {order.IdempotencyKey}::text,
                        {order.TraceParent}::text, {order.TraceState}::text, {leaseUntil}, {order.CreatedAt}, {order.CreatedAt})
                ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id)
            INSERT INTO order_items (order_id, line, sku, quantity, unit_price)
            SELECT inserted.id, line.number, line.sku, line.quantity, line.unit_price
            FROM inserted, unnest({numbers}::smallint[], {skus}::text[], {quantities}::integer[], {unitPrices}::numeric[]) AS line(number, sku, quantity, unit_price)
            """, cancellationToken) > 0;
    }

    public async Task<OrderRecord?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        (await OrderById(context, orderId, cancellationToken))?.ToRecord();

    public async Task<OrderRecord?> FindByIdempotencyKeyAsync(string userId, string idempotencyKey, CancellationToken cancellationToken) =>
        (await OrderByIdempotencyKey(context, userId, idempotencyKey, cancellationToken))?.ToRecord();

    /// <summary>A user's orders, newest first, strictly after <paramref name="after"/> in that order.</summary>
    public async Task<IReadOnlyList<OrderRecord>> ListAsync(string userId, OrderCursor? after, int limit, CancellationToken cancellationToken)
    {
        var orders = WithItems().Where(order => order.UserId == userId);
        if (after is not null)
        {
            // A row comparison, (created_at, id) < (…, …), which the index on (user_id, created_at DESC, id DESC) serves.
            orders = orders.Where(order => EF.Functions.LessThan(
                ValueTuple.Create(order.CreatedAt, order.Id),
                ValueTuple.Create(after.CreatedAt, after.OrderId)));
        }

        var rows = await orders.OrderByDescending(order => order.CreatedAt).ThenByDescending(order => order.Id)
            .Take(limit)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(row => row.ToRecord())];
    }

    /// <summary>Extends the caller's ownership of a PENDING order; false when the order is no longer PENDING.</summary>
    public async Task<bool> TryRenewLeaseAsync(Guid orderId, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await context.Orders
            .Where(order => order.Id == orderId && order.Status == OrderStatus.Pending)
            .ExecuteUpdateAsync(order => order.SetProperty(o => o.LeaseUntil, leaseUntil), cancellationToken) > 0;

    /// <summary>
    /// Takes over up to <paramref name="limit"/> PENDING orders whose lease ran out (their saga died), leasing them until
    /// <paramref name="leaseUntil"/>. SKIP LOCKED lets several replicas recover side by side without taking the same order.
    /// </summary>
    public async Task<IReadOnlyList<OrderRecord>> ClaimStalledAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var claimed = await context.Database.SqlQuery<Guid>($"""
            UPDATE orders SET lease_until = {leaseUntil}
            WHERE id IN (SELECT id FROM orders WHERE status = 'PENDING' AND lease_until < {now}
                         ORDER BY lease_until LIMIT {limit} FOR UPDATE SKIP LOCKED)
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        if (claimed.Count == 0)
        {
            return [];
        }

        var rows = await WithItems().Where(order => claimed.Contains(order.Id)).ToListAsync(cancellationToken);
        return [.. rows.Select(row => row.ToRecord())];
    }

    /// <summary>
    /// Confirms a PENDING order and writes its <paramref name="message"/> to the outbox in the same statement (one
    /// transaction): either both happen or neither. False when the order was no longer PENDING.
    /// </summary>
    public async Task<bool> TryConfirmAsync(Guid orderId, Guid paymentId, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var payload = Encoding.UTF8.GetString(message.Payload);
        var headers = JsonSerializer.Serialize(message.Headers);
        return await context.Database.ExecuteSqlAsync($"""
            WITH confirmed AS (
                UPDATE orders SET status = 'CONFIRMED', payment_id = {paymentId}, updated_at = {now}
                WHERE id = {orderId} AND status = 'PENDING'
                RETURNING id)
            INSERT INTO outbox (event_id, topic, message_key, event_type, payload, headers, created_at, next_attempt_at)
            SELECT {message.EventId}, {message.Topic}, {message.Key}, {message.EventType}, {payload}::jsonb, {headers}::jsonb, {now}, {now}
            FROM confirmed
            """, cancellationToken) > 0;
    }

    /// <summary>Marks a PENDING order FAILED with <paramref name="failure"/>; false when it was no longer PENDING.</summary>
    public async Task<bool> TryFailAsync(Guid orderId, OrderFailure failure, Guid? paymentId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return await context.Orders
            .Where(order => order.Id == orderId && order.Status == OrderStatus.Pending)
            .ExecuteUpdateAsync(
                order => order
                    .SetProperty(o => o.Status, OrderStatus.Failed)
                    .SetProperty(o => o.FailureKind, failure.Kind)
                    .SetProperty(o => o.FailureReason, failure.Reason)
                    .SetProperty(o => o.PaymentId, o => paymentId ?? o.PaymentId)
                    .SetProperty(o => o.UpdatedAt, now),
                cancellationToken) > 0;
    }

    private IQueryable<OrderRow> WithItems() => context.Orders.AsNoTracking().Include(order => order.Items);
}
