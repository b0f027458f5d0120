namespace OrderSystem.Gateway.Model;

/// <summary>
/// The body of <c>POST /api/orders</c>. Every member is nullable so that a missing field is reported by validation,
/// with its JSON path, instead of failing deserialization.
/// </summary>
public sealed record CreateOrderRequest(string? UserId, IReadOnlyList<CreateOrderItem?>? Items, PaymentRequest? Payment);

public sealed record CreateOrderItem(string? Sku, int? Quantity);

/// <param name="Amount">Optional: what the client expects to pay; Orders computes the total from the catalogue.</param>
public sealed record PaymentRequest(string? Method, string? CardNumber, decimal? Amount);
