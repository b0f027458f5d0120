using OrderSystem.Diagnostics.Audit;
using static OrderSystem.Diagnostics.Audit.ConsistencyAudit.Stored;

namespace OrderSystem.Tests.Audit;

/// <summary>The audit's rules over snapshots built by hand: each invariant, kept and broken.</summary>
[Trait("Category", "Unit")]
public sealed class ConsistencyAuditTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Settled = Now.AddMinutes(-1);
    private static readonly AuditOptions Options = new() { SettleGrace = TimeSpan.FromSeconds(30), StuckAfter = TimeSpan.FromMinutes(2) };

    [Fact]
    public void Confirmed_and_failed_orders_whose_databases_agree_are_consistent()
    {
        var snapshot = new Shop()
            .Confirmed(out _, ("SKU-1", 2), ("SKU-2", 1))
            .FailedAfterRefund(out _, ("SKU-1", 1))
            .FailedDeclined(out _, ("SKU-2", 3))
            .Snapshot(stock: [new("SKU-1", 8, 2), new("SKU-2", 9, 1)]);

        var report = ConsistencyAudit.Check(snapshot, Options, Now, new Dictionary<string, int> { ["SKU-1"] = 10, ["SKU-2"] = 10 });

        Assert.Empty(report.Violations);
        Assert.True(report.IsConsistent);
        Assert.Equal((1, 2, 0, 2, true), (report.Confirmed, report.Failed, report.InFlight, report.Skus, report.StockChecked));
    }

    [Fact]
    public void A_confirmed_order_without_its_payment_event_or_a_notification_names_each_with_its_trace()
    {
        var shop = new Shop().Confirmed(out var id, ("SKU-1", 1));
        shop.Payments.Clear();
        shop.Events.Clear();
        shop.Notifications.RemoveAll(n => n.Channel == "sms");

        var violations = ConsistencyAudit.Check(shop.Snapshot(), Options, Now).Violations;

        Assert.Equal([AuditRules.ConfirmedPayment, AuditRules.ConfirmedEvent, AuditRules.ConfirmedNotifications], violations.Select(v => v.Rule));
        Assert.All(violations, v => Assert.Equal((id, Shop.TraceOf(id)), (v.OrderId, v.TraceId)));
        Assert.Equal("no sms notification", violations[2].Detail);
    }

    [Fact]
    public void A_payment_of_another_amount_a_double_deduction_an_unpublished_event_and_a_duplicate_notification_are_violations()
    {
        var shop = new Shop().Confirmed(out var id, ("SKU-1", 1));
        shop.Payments[0] = shop.Payments[0] with { Amount = 99m };
        shop.Reservations[0] = shop.Reservations[0] with { Quantity = 2 };
        shop.Events[0] = shop.Events[0] with { Published = false };
        shop.Notifications.Add(new AuditedNotification(Guid.NewGuid(), id, "email"));

        var violations = ConsistencyAudit.Check(shop.Snapshot(), Options, Now).Violations;

        Assert.Equal([AuditRules.ConfirmedPayment, AuditRules.ConfirmedStock, AuditRules.ConfirmedEvent, AuditRules.DuplicateHandling], violations.Select(v => v.Rule));
        Assert.Equal("captured 99.00 USD for a total of 10.00 USD", violations[0].Detail);
        Assert.Equal("1 × SKU-1 ordered, 2 deducted", violations[1].Detail);
    }

    [Fact]
    public void A_failed_order_that_kept_the_money_or_the_stock_or_announced_itself_is_a_violation()
    {
        var shop = new Shop().FailedAfterRefund(out _, ("SKU-1", 1));
        shop.Payments[0] = shop.Payments[0] with { Status = Captured };
        shop.Reservations[0] = shop.Reservations[0] with { Status = Deducted };
        shop.Events.Add(new AuditedEvent(Guid.NewGuid(), shop.Orders[0].Id, OrderCreated, true));

        var violations = ConsistencyAudit.Check(shop.Snapshot(), Options, Now).Violations;

        Assert.Equal([AuditRules.FailedPayment, AuditRules.FailedStock, AuditRules.FailedEvent], violations.Select(v => v.Rule));
    }

    [Fact]
    public void Orders_still_settling_are_counted_in_flight_and_a_pending_order_past_the_stuck_period_is_a_violation()
    {
        var shop = new Shop().Confirmed(out _, ("SKU-1", 1));
        shop.Events.Clear();
        shop.Orders[0] = shop.Orders[0] with { UpdatedAt = Now.AddSeconds(-5) };
        shop.Orders.Add(new AuditedOrder(Guid.NewGuid(), Pending, 10m, "USD", null, Now.AddSeconds(-10), [new("SKU-1", 1)]));
        var stuck = new AuditedOrder(Guid.NewGuid(), Pending, 10m, "USD", null, Now.AddMinutes(-3), [new("SKU-1", 1)]);
        shop.Orders.Add(stuck);

        var report = ConsistencyAudit.Check(shop.Snapshot(), Options, Now);

        Assert.Equal(3, report.InFlight);
        var violation = Assert.Single(report.Violations);
        Assert.Equal((AuditRules.StuckOrder, stuck.Id), (violation.Rule, violation.OrderId));
    }

    [Fact]
    public void Money_or_stock_taken_for_an_order_that_does_not_exist_and_negative_stock_are_violations()
    {
        var ghost = Guid.NewGuid();
        var shop = new Shop();
        shop.Payments.Add(new AuditedPayment(ghost, Captured, 10m, "USD"));
        shop.Reservations.Add(new AuditedReservation(ghost, "SKU-1", 1, Deducted));

        var violations = ConsistencyAudit.Check(shop.Snapshot(stock: [new("SKU-1", -1, 1)]), Options, Now).Violations;

        Assert.Equal([AuditRules.OrphanPayment, AuditRules.OrphanReservation, AuditRules.NegativeStock], violations.Select(v => v.Rule));
        Assert.Equal([ghost, ghost, null], violations.Select(v => v.OrderId));
    }

    [Fact]
    public void Stock_whose_available_and_held_units_do_not_add_up_to_the_baseline_is_a_violation()
    {
        var snapshot = new Shop().Confirmed(out _, ("SKU-1", 2)).Snapshot(stock: [new("SKU-1", 7, 2), new("SKU-2", 8, 2), new("SKU-NEW", 5, 0)]);

        var violation = Assert.Single(ConsistencyAudit.Check(snapshot, Options, Now, new Dictionary<string, int> { ["SKU-1"] = 10, ["SKU-2"] = 10 }).Violations);

        Assert.Equal((AuditRules.StockBalance, "SKU-1"), (violation.Rule, violation.Sku));
        Assert.Equal("SKU-1 has 7 available and 2 held by orders, 9 in all; 10 at the baseline", violation.Detail);
    }

    /// <summary>Rows as the services write them for orders of 10.00 USD.</summary>
    private sealed class Shop
    {
        public List<AuditedOrder> Orders { get; } = [];
        public List<AuditedPayment> Payments { get; } = [];
        public List<AuditedReservation> Reservations { get; } = [];
        public List<AuditedEvent> Events { get; } = [];
        public List<AuditedNotification> Notifications { get; } = [];

        public static string TraceOf(Guid orderId) => orderId.ToString("N");

        public Shop Confirmed(out Guid id, params (string Sku, int Quantity)[] lines)
        {
            id = Add(ConsistencyAudit.Stored.Confirmed, lines, Deducted);
            Payments.Add(new AuditedPayment(id, Captured, 10m, "USD"));
            var eventId = Guid.NewGuid();
            Events.Add(new AuditedEvent(eventId, id, OrderCreated, true));
            Notifications.Add(new AuditedNotification(eventId, id, "email"));
            Notifications.Add(new AuditedNotification(eventId, id, "sms"));
            return this;
        }

        public Shop FailedAfterRefund(out Guid id, params (string Sku, int Quantity)[] lines)
        {
            id = Add(Failed, lines, "RELEASED");
            Payments.Add(new AuditedPayment(id, "REFUNDED", 10m, "USD"));
            return this;
        }

        public Shop FailedDeclined(out Guid id, params (string Sku, int Quantity)[] lines)
        {
            id = Add(Failed, lines, "RELEASED");
            Payments.Add(new AuditedPayment(id, "DECLINED", 10m, "USD"));
            return this;
        }

        public AuditSnapshot Snapshot(IReadOnlyList<AuditedStock>? stock = null) => new(Orders, Payments, Reservations, Events, Notifications, stock ?? []);

        private Guid Add(string status, (string Sku, int Quantity)[] lines, string reservationStatus)
        {
            var id = Guid.NewGuid();
            Orders.Add(new AuditedOrder(id, status, 10m, "USD", TraceOf(id), Settled, [.. lines.Select(l => new AuditedOrderLine(l.Sku, l.Quantity))]));
            Reservations.AddRange(lines.Select(l => new AuditedReservation(id, l.Sku, l.Quantity, reservationStatus)));
            return id;
        }
    }
}
