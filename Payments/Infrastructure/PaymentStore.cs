using Npgsql;
using OrderSystem.Payments.Model;

namespace OrderSystem.Payments.Infrastructure;

/// <summary>The <c>payments</c> table. Each method is one statement, so each is atomic on its own.</summary>
public sealed class PaymentStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "id, order_id, amount, currency, method, card_brand, card_last4, status, provider_reference, failure_reason, created_at, updated_at";

    /// <summary>
    /// Claims the right to charge the provider for an order: inserts a PENDING payment, or takes over the order's
    /// FAILED payment, or a PENDING one whose claim is older than <paramref name="staleBefore"/> (its request died).
    /// Null when another request holds the order or it already has an outcome; the caller then reads it.
    /// Two concurrent claims for a new order serialise on the unique index: exactly one inserts.
    /// </summary>
    public async Task<Payment?> TryClaimAsync(PaymentCommand command, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var sql = dataSource.CreateCommand($"""
            INSERT INTO payments ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', NULL, NULL, $8, $8)
            ON CONFLICT (order_id) DO UPDATE
                SET status = 'PENDING', card_brand = EXCLUDED.card_brand, card_last4 = EXCLUDED.card_last4,
                    failure_reason = NULL, updated_at = EXCLUDED.updated_at
                WHERE payments.amount = EXCLUDED.amount AND payments.currency = EXCLUDED.currency
                  AND (payments.status = 'FAILED' OR (payments.status = 'PENDING' AND payments.updated_at < $9))
            RETURNING {Columns}
            """);
        sql.Parameters.Add(new() { Value = Guid.CreateVersion7(now) });
        sql.Parameters.Add(new() { Value = command.OrderId });
        sql.Parameters.Add(new() { Value = command.Amount });
        sql.Parameters.Add(new() { Value = command.Currency });
        sql.Parameters.Add(new() { Value = command.Method });
        sql.Parameters.Add(new() { Value = command.Card.Brand });
        sql.Parameters.Add(new() { Value = command.Card.Last4 });
        sql.Parameters.Add(new() { Value = now });
        sql.Parameters.Add(new() { Value = staleBefore });
        return await ReadSingleAsync(sql, cancellationToken);
    }

    /// <summary>
    /// Records the outcome of a claimed payment. Null when the claim was lost meanwhile (taken over as stale): the
    /// outcome is then whatever the other request recorded.
    /// </summary>
    public async Task<Payment?> CompleteAsync(Guid paymentId, string status, string? providerReference, string? failureReason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand($"""
            UPDATE payments SET status = $2, provider_reference = $3, failure_reason = $4, updated_at = $5
            WHERE id = $1 AND status = 'PENDING'
            RETURNING {Columns}
            """);
        sql.Parameters.Add(new() { Value = paymentId });
        sql.Parameters.Add(new() { Value = status });
        sql.Parameters.Add(new() { Value = (object?)providerReference ?? DBNull.Value });
        sql.Parameters.Add(new() { Value = (object?)failureReason ?? DBNull.Value });
        sql.Parameters.Add(new() { Value = now });
        return await ReadSingleAsync(sql, cancellationToken);
    }

    /// <summary>Marks a CAPTURED payment REFUNDED; null when it is not (or no longer) CAPTURED.</summary>
    public async Task<Payment?> MarkRefundedAsync(Guid orderId, string refundReference, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand($"""
            UPDATE payments SET status = 'REFUNDED', refund_reference = $2, updated_at = $3
            WHERE order_id = $1 AND status = 'CAPTURED'
            RETURNING {Columns}
            """);
        sql.Parameters.Add(new() { Value = orderId });
        sql.Parameters.Add(new() { Value = refundReference });
        sql.Parameters.Add(new() { Value = now });
        return await ReadSingleAsync(sql, cancellationToken);
    }

    public async Task<Payment?> FindAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var sql = dataSource.CreateCommand($"SELECT {Columns} FROM payments WHERE order_id = $1");
        sql.Parameters.Add(new() { Value = orderId });
        return await ReadSingleAsync(sql, cancellationToken);
    }

    private static async Task<Payment?> ReadSingleAsync(NpgsqlCommand sql, CancellationToken cancellationToken)
    {
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new Payment(
            reader.GetGuid(0),
            reader.GetGuid(1),
            reader.GetDecimal(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.GetString(5),
            reader.GetString(6),
            reader.GetString(7),
            await reader.IsDBNullAsync(8, cancellationToken) ? null : reader.GetString(8),
            await reader.IsDBNullAsync(9, cancellationToken) ? null : reader.GetString(9),
            reader.GetFieldValue<DateTimeOffset>(10),
            reader.GetFieldValue<DateTimeOffset>(11));
    }
}
