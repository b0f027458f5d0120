using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSystem.Payments.Model;

namespace OrderSystem.Payments.Data;

/// <summary>The Payments database: one payment per order. Card numbers are never stored, only brand and last four.</summary>
public sealed class PaymentsContext(DbContextOptions<PaymentsContext> options) : DbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Payment>(Configure);

    private static void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.ToTable("payments", table =>
        {
            table.HasCheckConstraint("payments_amount_check", "amount > 0");
            table.HasCheckConstraint("payments_currency_check", "currency ~ '^[A-Z]{3}$'");
            table.HasCheckConstraint("payments_card_last4_check", "card_last4 ~ '^[0-9]{4}$'");
            table.HasCheckConstraint(
                "payments_status_check",
                $"status IN ('{PaymentStatus.Pending}', '{PaymentStatus.Captured}', '{PaymentStatus.Declined}', '{PaymentStatus.Failed}', '{PaymentStatus.Refunded}')");
        });
        payment.HasKey(p => p.Id).HasName("payments_pkey");
        payment.Property(p => p.Id).ValueGeneratedNever();
        // The claim's INSERT ... ON CONFLICT (order_id) relies on this: two claims for a new order, exactly one inserts.
        payment.HasIndex(p => p.OrderId).IsUnique().HasDatabaseName("payments_order_id_key");
        payment.Property(p => p.Amount).HasPrecision(12, 2);
        // Written by refunds only; no caller reads it back.
        payment.Property<string?>("RefundReference");
    }
}
