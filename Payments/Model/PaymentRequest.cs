namespace OrderSystem.Payments.Model;

/// <summary>
/// The body of <c>POST /api/payments</c>. Every member is nullable so a missing value becomes a validation error
/// for that field instead of a failed deserialisation.
/// </summary>
public sealed record PaymentRequest(Guid? OrderId, decimal? Amount, string? Currency, string? Method, string? CardNumber);
