using Microsoft.EntityFrameworkCore;
using OrderSystem.Payments.Data;
using OrderSystem.Payments.Model;

namespace OrderSystem.Payments.Infrastructure;

/// <summary>
/// The <c>payments</c> table. Each method is one statement, so each is atomic on its own: the claim and the state
/// changes are conditional upserts/updates that return the row they wrote, which LINQ cannot express.
/// </summary>
public sealed class PaymentStore(PaymentsContext context)
{
    /// <summary>
    /// Claims the right to charge the provider for an order: inserts a PENDING payment, or takes over the order's
    /// FAILED payment, or a PENDING one whose claim is older than <paramref name="staleBefore"/> (its request died).
    /// Null when another request holds the order or it already has an outcome; the caller then reads it.
    /// Two concurrent claims for a new order serialise on the unique index: exactly one inserts.
    /// </summary>
    public Task<Payment?> TryClaimAsync(PaymentCommand command, DateTimeOffset now, DateTimeOffset staleBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return SingleOrNullAsync(context.Payments.FromSql($"""
            INSERT INTO payments (id, order_id, amount, currency, method, card_brand, card_last4, status, created_at, updated_at)
            VALUES ({Guid.CreateVersion7(now)}, {command.OrderId}, {command.Amount}, {command.Currency}, {command.Method},
                    {command.Card.Brand}, {command.Card.Last4}, 'PENDING', {now}, {now})
            ON CONFLICT (order_id) DO UPDATE
                SET status = 'PENDING', card_brand = EXCLUDED.card_brand, card_last4 = EXCLUDED.card_last4,
                    failure_reason = NULL, updated_at = EXCLUDED.updated_at
                WHERE payments.amount = EXCLUDED.amount AND payments.currency = EXCLUDED.currency
                  AND (payments.status = 'FAILED' OR (payments.status = 'PENDING' AND payments.updated_at < {staleBefore}))
            RETURNING *
            """), cancellationToken);
    }

    /// <summary>
    /// Records the outcome of a claimed payment. Null when the claim was lost meanwhile (taken over as stale): the
    /// outcome is then whatever the other request recorded.
    /// </summary>
    public Task<Payment?> CompleteAsync(Guid paymentId, string status, string? providerReference, string? failureReason, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleOrNullAsync(context.Payments.FromSql($"""
            UPDATE payments SET status = {status}, provider_reference = {providerReference}, failure_reason = {failureReason}, updated_at = {now}
            WHERE id = {paymentId} AND status = 'PENDING'
            RETURNING *
            """), cancellationToken);

    /// <summary>
    /// Records a PENDING claim older than <paramref name="staleBefore"/> as FAILED with <paramref name="failureReason"/>:
    /// its request died mid-charge and nobody will complete it. Null when the payment is not such a claim.
    /// </summary>
    public Task<Payment?> AbandonStaleClaimAsync(Guid orderId, DateTimeOffset staleBefore, string failureReason, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleOrNullAsync(context.Payments.FromSql($"""
            UPDATE payments SET status = 'FAILED', failure_reason = {failureReason}, updated_at = {now}
            WHERE order_id = {orderId} AND status = 'PENDING' AND updated_at < {staleBefore}
            RETURNING *
            """), cancellationToken);

    /// <summary>Marks a CAPTURED payment REFUNDED; null when it is not (or no longer) CAPTURED.</summary>
    public Task<Payment?> MarkRefundedAsync(Guid orderId, string refundReference, DateTimeOffset now, CancellationToken cancellationToken) =>
        SingleOrNullAsync(context.Payments.FromSql($"""
            UPDATE payments SET status = 'REFUNDED', refund_reference = {refundReference}, updated_at = {now}
            WHERE order_id = {orderId} AND status = 'CAPTURED'
            RETURNING *
            """), cancellationToken);

    public Task<Payment?> FindAsync(Guid orderId, CancellationToken cancellationToken) =>
        context.Payments.AsNoTracking().SingleOrDefaultAsync(payment => payment.OrderId == orderId, cancellationToken);

    // A data-modifying statement cannot be composed on (no LIMIT around it): run it as written and take its row.
    private static async Task<Payment?> SingleOrNullAsync(IQueryable<Payment> statement, CancellationToken cancellationToken) =>
        (await statement.AsNoTracking().ToListAsync(cancellationToken)).SingleOrDefault();
}
