namespace OrderSystem.Payments.Model;

/// <summary>A row of the <c>payments</c> table.</summary>
public sealed record Payment(
    Guid Id,
    Guid OrderId,
    decimal Amount,
    string Currency,
    string Method,
    string CardBrand,
    string CardLast4,
    string Status,
    string? ProviderReference,
    string? FailureReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Whether a request for <paramref name="command"/> asks for this same payment (idempotent replay).</summary>
    public bool Matches(PaymentCommand command) => Amount == command.Amount && Currency == command.Currency;

    public PaymentResponse ToResponse() =>
        new(Id, OrderId, Status, Amount, Currency, Method, CardBrand, CardLast4, ProviderReference, CreatedAt);
}
