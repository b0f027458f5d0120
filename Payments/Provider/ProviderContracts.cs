namespace OrderSystem.Payments.Provider;

/// <summary>
/// The body of <c>POST /provider/charges</c>. Like a real payment service provider's API it carries the full card
/// number; it exists only on this request and is never stored or logged on either side.
/// </summary>
public sealed record ProviderChargeRequest(decimal Amount, string Currency, string CardNumber);

/// <summary>A charge as the provider answers it: 201 when it succeeded, 402 when the card was declined.</summary>
public sealed record ProviderCharge(
    string Id,
    string Status,
    decimal Amount,
    string Currency,
    string CardBrand,
    string CardLast4,
    string? DeclineCode)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>A (full) refund of a charge.</summary>
public sealed record ProviderRefund(string Id, string ChargeId, decimal Amount, string Currency, string Status);
