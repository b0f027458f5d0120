using Google.Protobuf.WellKnownTypes;
using OrderSystem.Contracts;
using OrderSystem.Orders.Telemetry;
using ContractOrder = OrderSystem.Contracts.Orders.Order;
using ContractOrderItem = OrderSystem.Contracts.Orders.OrderItem;

namespace OrderSystem.Orders.Model;

/// <summary>An order as stored in <c>orders</c> and <c>order_items</c>.</summary>
public sealed record OrderRecord(
    Guid Id,
    string UserId,
    OrderStatus Status,
    OrderFailure? Failure,
    IReadOnlyList<OrderLine> Lines,
    decimal TotalAmount,
    string Currency,
    string? IdempotencyKey,
    Guid? PaymentId,
    string? TraceParent,
    string? TraceState,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public bool IsTerminal => Status is not OrderStatus.Pending;

    /// <summary>The trace that created the order (from its traceparent), or empty.</summary>
    public string TraceId
    {
        get
        {
            var context = OrdersTelemetry.ParseContext(TraceParent, TraceState);
            return context == default ? string.Empty : context.TraceId.ToHexString();
        }
    }

    public ContractOrder ToContract()
    {
        var order = new ContractOrder
        {
            Id = Id.ToString(),
            UserId = UserId,
            Status = Status.ToText(),
            FailureReason = Failure?.Reason ?? string.Empty,
            TotalAmount = DecimalString.Format(TotalAmount),
            Currency = Currency,
            PaymentId = PaymentId?.ToString() ?? string.Empty,
            TraceId = TraceId,
            CreatedAt = Timestamp.FromDateTimeOffset(CreatedAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(UpdatedAt),
        };
        order.Items.AddRange(Lines.Select(line => new ContractOrderItem
        {
            Sku = line.Sku,
            Quantity = line.Quantity,
            UnitPrice = DecimalString.Format(line.UnitPrice),
        }));
        return order;
    }
}
