using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Data;

/// <summary>The Notifications database: one row per channel per consumed event.</summary>
public sealed class NotificationsContext(DbContextOptions<NotificationsContext> options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<Notification>(Configure);

    private static void Configure(EntityTypeBuilder<Notification> notification)
    {
        notification.ToTable("notifications", table =>
            table.HasCheckConstraint("notifications_channel_check", $"channel IN ('{NotificationChannel.Email}', '{NotificationChannel.Sms}')"));
        notification.HasKey(n => n.Id).HasName("notifications_pkey");
        notification.Property(n => n.Id).ValueGeneratedNever();

        // A redelivered event inserts nothing, and a channel added later still gets its row when an old event is replayed.
        notification.HasIndex(n => new { n.EventId, n.Channel }).IsUnique().HasDatabaseName("uq_notifications_event_channel");
        notification.HasIndex(n => new { n.OrderId, n.CreatedAt }).HasDatabaseName("ix_notifications_order_created");
    }
}
