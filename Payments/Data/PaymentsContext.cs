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
        payment.Property(p => p.Id).HasColumnName("id").ValueGeneratedNever();
        payment.Property(p => p.OrderId).HasColumnName("order_id");
        // The claim's INSERT ... ON CONFLICT (order_id) relies on this: two claims for a new order, exactly one inserts.
        payment.HasIndex(p => p.OrderId).IsUnique().HasDatabaseName("payments_order_id_key");
        payment.Property(p => p.Amount).HasColumnName("amount").HasPrecision(12, 2);
        payment.Property(p => p.Currency).HasColumnName("currency");
        payment.Property(p => p.Method).HasColumnName("method");
        payment.Property(p => p.CardBrand).HasColumnName("card_brand");
        payment.Property(p => p.CardLast4).HasColumnName("card_last4");
        payment.Property(p => p.Status).HasColumnName("status");
        payment.Property(p => p.ProviderReference).HasColumnName("provider_reference");
        // Written by refunds only; no caller reads it back.
        payment.Property<string?>("RefundReference").HasColumnName("refund_reference");
        payment.Property(p => p.FailureReason).HasColumnName("failure_reason");
        payment.Property(p => p.CreatedAt).HasColumnName("created_at");
        payment.Property(p => p.UpdatedAt).HasColumnName("updated_at");
    }
}
