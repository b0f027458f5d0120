using System.Diagnostics;
using OrderSystem.Contracts.Events;
using OrderSystem.Orders.Model;
using OrderSystem.Orders.Telemetry;

namespace OrderSystem.Orders.Outbox;

/// <summary>Builds the <c>order.created</c> outbox message of a confirmed order (contract: OrderSystem.Contracts.Events).</summary>
public static class OrderCreatedMessage
{
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    /// <param name="traceContext">Where the relay's PublishOrderCreated span goes: the span that confirmed the order.</param>
    public static OutboxMessage Create(OrderRecord order, DateTimeOffset occurredAt, ActivityContext traceContext)
    {
        ArgumentNullException.ThrowIfNull(order);
        var orderEvent = new OrderEvent
        {
            EventId = Guid.CreateVersion7(occurredAt),
            EventType = OrderEvents.Created,
            OccurredAt = occurredAt,
            OrderId = order.Id,
            UserId = order.UserId,
            TotalAmount = order.TotalAmount,
            Currency = order.Currency,
            Items = [.. order.Lines.Select(line => new OrderEventItem { Sku = line.Sku, Quantity = line.Quantity, UnitPrice = line.UnitPrice })],
        };

        var headers = new Dictionary<string, string>(StringComparer.Ordinal) { [OrderEvents.EventTypeHeader] = OrderEvents.Created };
        if (traceContext != default)
        {
            headers[TraceParentHeader] = OrdersTelemetry.FormatTraceParent(traceContext);
            if (!string.IsNullOrEmpty(traceContext.TraceState))
            {
                headers[TraceStateHeader] = traceContext.TraceState;
            }
        }

        return new OutboxMessage(orderEvent.EventId, OrderEvents.Topic, order.Id.ToString(), OrderEvents.Created, OrderEvents.Serialize(orderEvent), headers);
    }
}
