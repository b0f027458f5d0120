namespace OrderSystem.Payments.Model;

/// <summary>A validated, normalised payment request: currency upper case, method lower case, card parsed.</summary>
public sealed record PaymentCommand(Guid OrderId, decimal Amount, string Currency, string Method, CardNumber Card);
