using OrderSystem.Orders.Model;

namespace OrderSystem.Orders.Data;

/// <summary>A row of <c>orders</c>; the store hands it on as an <see cref="OrderRecord"/>.</summary>
public sealed class OrderRow
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public OrderStatus Status { get; set; }

    /// <summary>The reason the API shows; set with <see cref="FailureKind"/> when the order FAILED.</summary>
    public string? FailureReason { get; set; }

    public OrderFailureKind? FailureKind { get; set; }

    public decimal TotalAmount { get; set; }

    public required string Currency { get; set; }

    public string? IdempotencyKey { get; set; }

    public Guid? PaymentId { get; set; }

    /// <summary>W3C trace context of the request that created the order: recovery and the outbox relay join its trace.</summary>
    public string? TraceParent { get; set; }

    public string? TraceState { get; set; }

    /// <summary>Who may move a PENDING order on: the saga renews this before every step; recovery takes over only after it passed.</summary>
    public DateTimeOffset LeaseUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<OrderItemRow> Items { get; set; } = [];

    public OrderRecord ToRecord() => new(
        Id,
        UserId,
        Status,
        FailureKind is { } kind ? new OrderFailure(kind, FailureReason!) : null,
        [.. Items.OrderBy(item => item.Line).Select(item => new OrderLine(item.Sku, item.Quantity, item.UnitPrice))],
        TotalAmount,
        Currency,
        IdempotencyKey,
        PaymentId,
        TraceParent,
        TraceState,
        CreatedAt,
        UpdatedAt);
}

/// <summary>A row of <c>order_items</c>: one line of an order, numbered from 1.</summary>
public sealed class OrderItemRow
{
    public Guid OrderId { get; set; }

    public short Line { get; set; }

    public required string Sku { get; set; }

    public int Quantity { get; set; }

    public decimal UnitPrice { get; set; }
}

/// <summary>
/// A row of <c>outbox</c>: written in the same transaction as the status change, relayed to Kafka by the outbox relay.
/// </summary>
public sealed class OutboxRow
{
    public long Id { get; set; }

    public Guid EventId { get; set; }

    public required string Topic { get; set; }

    public required string MessageKey { get; set; }

    public required string EventType { get; set; }

    /// <summary>The event as JSON (<c>jsonb</c>).</summary>
    public required string Payload { get; set; }

    /// <summary>Message headers to send, plus the traceparent/tracestate the relay's span is parented on (<c>jsonb</c>).</summary>
    public required string Headers { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}
