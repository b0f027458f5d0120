namespace OrderSystem.Diagnostics.Audit;

/// <summary>
/// What the four databases hold about orders, read for an audit: the rows of each service that an order's outcome
/// must agree on, and every SKU's stock with what orders hold of it. Status values are the services' stored texts.
/// </summary>
public sealed record AuditSnapshot(
    IReadOnlyList<AuditedOrder> Orders,
    IReadOnlyList<AuditedPayment> Payments,
    IReadOnlyList<AuditedReservation> Reservations,
    IReadOnlyList<AuditedEvent> Events,
    IReadOnlyList<AuditedNotification> Notifications,
    IReadOnlyList<AuditedStock> Stock);

/// <summary>An order (ordersdb <c>orders</c> and <c>order_items</c>).</summary>
public sealed record AuditedOrder(Guid Id, string Status, decimal TotalAmount, string Currency, string? TraceId, DateTimeOffset UpdatedAt, IReadOnlyList<AuditedOrderLine> Lines);

public sealed record AuditedOrderLine(string Sku, int Quantity);

/// <summary>A payment (paymentsdb <c>payments</c>, one per order at most).</summary>
public sealed record AuditedPayment(Guid OrderId, string Status, decimal Amount, string Currency);

/// <summary>A stock reservation of one SKU for one order (inventorydb <c>inventory_reservations</c>).</summary>
public sealed record AuditedReservation(Guid OrderId, string Sku, int Quantity, string Status);

/// <summary>An event in Orders' outbox (ordersdb <c>outbox</c>); published once Kafka acknowledged it.</summary>
public sealed record AuditedEvent(Guid EventId, Guid OrderId, string EventType, bool Published);

/// <summary>A notification sent for an event (notificationsdb <c>notifications</c>).</summary>
public sealed record AuditedNotification(Guid EventId, Guid OrderId, string Channel);

/// <summary>
/// A SKU's available stock (inventorydb <c>inventory_items</c>) and the units orders hold deducted (its DEDUCTED
/// reservations), read in one statement: every stock change moves units between the two in one transaction, so their
/// sum only changes when stock is lost or made up.
/// </summary>
public sealed record AuditedStock(string Sku, int Available, int Held)
{
    public int Total => Available + Held;
}
