namespace OrderSystem.Payments.Provider;

/// <summary>
/// The provider gave no decision: unreachable, too slow, failing after the resilience pipeline's retries, or an
/// answer the client does not understand. <see cref="Reason"/> is the code stored as the payment's failure reason.
/// </summary>
public sealed class PaymentProviderException(string reason, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public const string Unavailable = "provider_unavailable";
    public const string UnexpectedResponse = "provider_error";

    public string Reason { get; } = reason;
}
