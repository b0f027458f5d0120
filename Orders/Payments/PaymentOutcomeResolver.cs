using Microsoft.Extensions.Options;

namespace OrderSystem.Orders.Payments;

/// <summary>
/// Learns what became of an order's payment when the charge got no answer (timeout, 503, transport error) or the saga
/// that charged it died. It never guesses: it asks Payments until the payment has a final state, and before calling an
/// order unpaid it asks for a refund, so a charge that lands meanwhile is given back rather than kept.
/// </summary>
public sealed partial class PaymentOutcomeResolver(
    PaymentsClient payments,
    TimeProvider timeProvider,
    IOptions<OrdersOptions> options,
    ILogger<PaymentOutcomeResolver> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<PaymentOutcome> ResolveAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        PaymentAnswer last;
        while (true)
        {
            var answer = await payments.GetAsync(orderId, cancellationToken);
            switch (answer.State)
            {
                case PaymentState.Captured:
                    return new PaymentOutcome(PaymentOutcomeKind.Captured, answer.PaymentId, null);
                case PaymentState.Declined:
                    return new PaymentOutcome(PaymentOutcomeKind.Declined, answer.PaymentId, null);
                case PaymentState.NotFound or PaymentState.Failed or PaymentState.Refunded:
                    var refund = await payments.RefundAsync(orderId, cancellationToken);
                    if (refund.State is PaymentState.Refunded or PaymentState.NotFound or PaymentState.Failed or PaymentState.Declined)
                    {
                        LogNotCharged(orderId, answer.State, refund.State);
                        return new PaymentOutcome(PaymentOutcomeKind.NotCharged, refund.PaymentId ?? answer.PaymentId, Describe(answer));
                    }

                    last = refund;
                    break;
                default:
                    // PENDING (Payments is still charging) or no answer: ask again.
                    last = answer;
                    break;
            }

            if (timeProvider.GetElapsedTime(started) + PollInterval > options.Value.PaymentOutcomeTimeout)
            {
                LogUnresolved(orderId, last.State, last.Detail);
                return new PaymentOutcome(PaymentOutcomeKind.Unknown, last.PaymentId, last.Detail);
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }
    }

    private static string Describe(PaymentAnswer answer) => answer.State switch
    {
        PaymentState.NotFound => "no payment was taken",
        PaymentState.Failed => "the payment provider gave no decision",
        _ => "the payment was refunded",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} was not charged: payment {PaymentState}, refund answered {RefundState}")]
    private partial void LogNotCharged(Guid orderId, PaymentState paymentState, PaymentState refundState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The payment outcome of order {OrderId} is still unknown ({PaymentState}: {Detail}); the order stays PENDING for recovery")]
    private partial void LogUnresolved(Guid orderId, PaymentState paymentState, string? detail);
}

public enum PaymentOutcomeKind
{
    Captured,
    Declined,

    /// <summary>Payments refused the request (invalid card details, conflicting amount): nothing was charged.</summary>
    Rejected,

    /// <summary>Nothing was charged, or what was charged has been refunded.</summary>
    NotCharged,

    /// <summary>Payments could not tell yet: the order must stay PENDING.</summary>
    Unknown,
}

public sealed record PaymentOutcome(PaymentOutcomeKind Kind, Guid? PaymentId, string? Detail);
