using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSystem.Orders.Model;

namespace OrderSystem.Orders.Data;

/// <summary>The Orders database: orders with their items, and the transactional outbox.</summary>
public sealed class OrdersContext(DbContextOptions<OrdersContext> options) : DbContext(options)
{
    public DbSet<OrderRow> Orders => Set<OrderRow>();

    public DbSet<OrderItemRow> OrderItems => Set<OrderItemRow>();

    public DbSet<OutboxRow> Outbox => Set<OutboxRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OrderRow>(ConfigureOrder);
        modelBuilder.Entity<OrderItemRow>(ConfigureItem);
        modelBuilder.Entity<OutboxRow>(ConfigureOutbox);
    }

    private static void ConfigureOrder(EntityTypeBuilder<OrderRow> order)
    {
        var failureKinds = string.Join(", ", OrderFailure.KindNames.Select(name => $"'{name}'"));
        order.ToTable("orders", table =>
        {
            table.HasCheckConstraint("orders_status_check", $"status IN ('{OrderStatusText.Pending}', '{OrderStatusText.Confirmed}', '{OrderStatusText.Failed}')");
            table.HasCheckConstraint("orders_total_amount_check", "total_amount >= 0");
            table.HasCheckConstraint("orders_failure_kind_check", $"failure_kind IN ({failureKinds})");
            table.HasCheckConstraint("orders_failed_has_reason_check", $"(status = '{OrderStatusText.Failed}') = (failure_reason IS NOT NULL)");
            table.HasCheckConstraint("orders_failed_has_kind_check", $"(status = '{OrderStatusText.Failed}') = (failure_kind IS NOT NULL)");
            table.HasCheckConstraint("orders_confirmed_has_payment_check", $"status <> '{OrderStatusText.Confirmed}' OR payment_id IS NOT NULL");
        });
        order.HasKey(o => o.Id).HasName("orders_pkey");
        order.Property(o => o.Id).ValueGeneratedNever();
        // Value conversions: the code has types, the table and the API keep their text.
        order.Property(o => o.Status)
            .HasConversion(status => status.ToText(), text => OrderStatusText.Parse(text));
        order.Property(o => o.FailureKind)
            .HasConversion(kind => OrderFailure.ToText(kind!.Value), text => OrderFailure.ParseKind(text));
        order.Property(o => o.TotalAmount).HasPrecision(12, 2);
        order.Property(o => o.TraceParent).HasColumnName("traceparent");
        order.Property(o => o.TraceState).HasColumnName("tracestate");
        order.HasMany(o => o.Items).WithOne().HasForeignKey(item => item.OrderId)
            .HasConstraintName("order_items_order_id_fkey").OnDelete(DeleteBehavior.Cascade);

        // A retried request with the same key returns the first order instead of creating (and charging) another.
        order.HasIndex(o => new { o.UserId, o.IdempotencyKey }).HasDatabaseName("ix_orders_user_idempotency_key").IsUnique().HasFilter("idempotency_key IS NOT NULL");
        // ListOrders: newest first, keyset pagination on (created_at, id).
        order.HasIndex(o => new { o.UserId, o.CreatedAt, o.Id }).HasDatabaseName("ix_orders_user_created").IsDescending(false, true, true);
        // StalledOrderRecovery: PENDING orders whose lease ran out.
        order.HasIndex(o => o.LeaseUntil).HasDatabaseName("ix_orders_pending_lease").HasFilter($"status = '{OrderStatusText.Pending}'");
    }

    private static void ConfigureItem(EntityTypeBuilder<OrderItemRow> item)
    {
        item.ToTable("order_items", table =>
        {
            table.HasCheckConstraint("order_items_quantity_check", "quantity > 0");
            table.HasCheckConstraint("order_items_unit_price_check", "unit_price >= 0");
        });
        item.HasKey(i => new { i.OrderId, i.Line }).HasName("order_items_pkey");
        item.Property(i => i.UnitPrice).HasPrecision(12, 2);
        item.HasIndex(i => new { i.OrderId, i.Sku }).HasDatabaseName("order_items_order_id_sku_key").IsUnique();
    }

    private static void ConfigureOutbox(EntityTypeBuilder<OutboxRow> outbox)
    {
        outbox.ToTable("outbox");
        outbox.HasKey(o => o.Id).HasName("outbox_pkey");
        outbox.Property(o => o.Id).UseSerialColumn();
        outbox.HasIndex(o => o.EventId).HasDatabaseName("outbox_event_id_key").IsUnique();
        outbox.Property(o => o.Payload).HasColumnType("jsonb");
        outbox.Property(o => o.Headers).HasColumnType("jsonb").HasDefaultValueSql("'{}'::jsonb");
        outbox.Property(o => o.Attempts).HasDefaultValue(0);
        outbox.HasIndex(o => new { o.NextAttemptAt, o.Id }).HasDatabaseName("ix_outbox_pending").HasFilter("published_at IS NULL");
    }
}
