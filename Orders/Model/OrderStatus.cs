namespace OrderSystem.Orders.Model;

/// <summary>The states of an order. Stored and sent in the contract as their upper-case names (<see cref="OrderStatusText"/>).</summary>
public enum OrderStatus
{
    /// <summary>The saga (or recovery) is still moving the order on.</summary>
    Pending,

    /// <summary>Stock deducted, payment captured, <c>order.created</c> in the outbox.</summary>
    Confirmed,

    /// <summary>Compensated: stock given back, nothing charged (or refunded); its <see cref="OrderFailure"/> says why.</summary>
    Failed,
}

/// <summary>The text form of <see cref="OrderStatus"/> in <c>orders.status</c>, the contract and telemetry.</summary>
public static class OrderStatusText
{
    public const string Pending = "PENDING";
    public const string Confirmed = "CONFIRMED";
    public const string Failed = "FAILED";

    public static string ToText(this OrderStatus status) => status switch
    {
        OrderStatus.Pending => Pending,
        OrderStatus.Confirmed => Confirmed,
        OrderStatus.Failed => Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static OrderStatus Parse(string text) => text switch
    {
        Pending => OrderStatus.Pending,
        Confirmed => OrderStatus.Confirmed,
        Failed => OrderStatus.Failed,
        _ => throw new FormatException($"'{text}' is not an order status"),
    };
}
