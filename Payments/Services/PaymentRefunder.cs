using OrderSystem.Payments.Infrastructure;
using OrderSystem.Payments.Model;
using OrderSystem.Payments.Provider;
using OrderSystem.Payments.Telemetry;

namespace OrderSystem.Payments.Services;

/// <summary>
/// Refunds an order's captured payment, the compensation step of the order saga. Safe to retry at every point:
/// the provider refunds a charge once and answers a repeated refund with the first one, and a payment already
/// REFUNDED is answered from the database.
/// </summary>
public sealed partial class PaymentRefunder(
    PaymentStore store,
    PaymentProviderClient provider,
    PaymentsTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<PaymentRefunder> logger)
{
    /// <returns>The answer, or null when the order has no payment.</returns>
    public async Task<PaymentResult?> RefundAsync(Guid orderId, CancellationToken cancellationToken)
    {
        using var activity = PaymentsTelemetry.StartRefundPayment(orderId);
        var payment = await store.FindAsync(orderId, cancellationToken);
        if (payment is null)
        {
            return null;
        }

        if (payment.Status != PaymentStatus.Captured)
        {
            var outcome = payment.Status == PaymentStatus.Refunded ? PaymentOutcome.Replayed : PaymentOutcome.Conflict;
            telemetry.RecordOutcome(activity, new PaymentResult(outcome, payment));
            return new PaymentResult(outcome, payment);
        }

        ProviderRefund refund;
        try
        {
            refund = await provider.RefundAsync(payment.ProviderReference!, cancellationToken);
        }
        catch (PaymentProviderException exception)
        {
            PaymentsTelemetry.RecordProviderFailure(activity, exception);
            LogProviderFailed(exception, orderId, payment.Id, exception.Reason);
            return new PaymentResult(PaymentOutcome.ProviderUnavailable, payment);
        }

        // Null when a concurrent refund of the same payment recorded it first: the provider gave both the same refund.
        var refunded = await store.MarkRefundedAsync(orderId, refund.Id, timeProvider.GetUtcNow(), cancellationToken)
            ?? await store.FindAsync(orderId, cancellationToken)
            ?? throw new InvalidOperationException($"Payment {payment.Id} disappeared while being refunded.");
        LogRefunded(orderId, refunded.Id, refunded.Amount, refunded.Currency);
        var result = new PaymentResult(PaymentOutcome.Processed, refunded);
        telemetry.RecordOutcome(activity, result);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {PaymentId} for order {OrderId} refunded: {Amount} {Currency}")]
    private partial void LogRefunded(Guid orderId, Guid paymentId, decimal amount, string currency);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refund of payment {PaymentId} for order {OrderId} failed: the payment provider gave no decision ({FailureReason})")]
    private partial void LogProviderFailed(Exception exception, Guid orderId, Guid paymentId, string failureReason);
}
