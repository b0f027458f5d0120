namespace OrderSystem.Payments.Model;

/// <summary>The states a payment record goes through; stored as text in <c>payments.status</c>.</summary>
public static class PaymentStatus
{
    /// <summary>Claimed by a request that is charging the provider; never returned to a caller.</summary>
    public const string Pending = "PENDING";
    public const string Captured = "CAPTURED";
    public const string Declined = "DECLINED";

    /// <summary>The provider could not be reached or answered unexpectedly; the order may pay again.</summary>
    public const string Failed = "FAILED";
    public const string Refunded = "REFUNDED";
}
