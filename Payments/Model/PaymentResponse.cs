namespace OrderSystem.Payments.Model;

/// <summary>A stored payment as the API returns it: the card appears only as brand and last four digits.</summary>
public sealed record PaymentResponse(
    Guid PaymentId,
    Guid OrderId,
    string Status,
    decimal Amount,
    string Currency,
    string Method,
    string CardBrand,
    string CardLast4,
    string? ProviderReference,
    DateTimeOffset CreatedAt);
