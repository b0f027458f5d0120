namespace OrderSystem.Orders.Model;

/// <summary>The states of an order, stored as text in <c>orders.status</c> and sent as is in the contract.</summary>
public static class OrderStatus
{
    /// <summary>The saga (or recovery) is still moving the order on.</summary>
    public const string Pending = "PENDING";

    /// <summary>Stock deducted, payment captured, <c>order.created</c> in the outbox.</summary>
    public const string Confirmed = "CONFIRMED";

    /// <summary>Compensated: stock given back, nothing charged (or refunded); the reason says why.</summary>
    public const string Failed = "FAILED";
}
