namespace OrderSystem.Payments.Model;

/// <summary>How a payment or refund request was answered, with the payment it concerns.</summary>
public sealed record PaymentResult(PaymentOutcome Outcome, Payment Payment);

public enum PaymentOutcome
{
    /// <summary>The provider decided now: the payment is CAPTURED or DECLINED, or a refund made it REFUNDED.</summary>
    Processed,

    /// <summary>Answered from the stored payment without calling the provider again (idempotent replay).</summary>
    Replayed,

    /// <summary>The request contradicts the stored payment: another amount or currency, an order already refunded, or a refund of a payment that was never captured.</summary>
    Conflict,

    /// <summary>The provider gave no decision: nothing was charged or refunded (a charge's payment is FAILED and may be retried).</summary>
    ProviderUnavailable,
}
