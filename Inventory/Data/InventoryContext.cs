using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace OrderSystem.Inventory.Data;

/// <summary>The Inventory database: the catalogue with its stock, and what each order reserved.</summary>
public sealed class InventoryContext(DbContextOptions<InventoryContext> options) : DbContext(options)
{
    /// <summary>The unique index on <c>inventory_items.sku</c> that the <c>inventory-missing-index</c> fault drops and restores.</summary>
    public const string SkuIndexName = "ix_inventory_items_sku";

    // CANCELLED marks a Release that came before any Deduct of its order (a compensation that overtook its Deduct),
    // so the late Deduct cannot take stock.
    public const string Deducted = "DEDUCTED";
    public const string Released = "RELEASED";
    public const string Cancelled = "CANCELLED";

    public DbSet<InventoryItem> Items => Set<InventoryItem>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<StockReservation> Reservations => Set<StockReservation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Category>(ConfigureCategory);
        modelBuilder.Entity<InventoryItem>(ConfigureItem);
        modelBuilder.Entity<StockReservation>(ConfigureReservation);
    }

    private static void ConfigureCategory(EntityTypeBuilder<Category> category)
    {
        category.ToTable("categories");
        category.HasKey(c => c.Id).HasName("categories_pkey");
        category.Property(c => c.Id).ValueGeneratedNever();
        category.HasIndex(c => c.Name).IsUnique().HasDatabaseName("categories_name_key");
    }

    private static void ConfigureItem(EntityTypeBuilder<InventoryItem> item)
    {
        item.ToTable("inventory_items", table =>
        {
            table.HasCheckConstraint("inventory_items_sku_check", "length(sku) BETWEEN 1 AND 64");
            table.HasCheckConstraint("inventory_items_price_check", "price >= 0");
            table.HasCheckConstraint("inventory_items_available_check", "available >= 0");
        });
        item.HasKey(i => i.Id).HasName("inventory_items_pkey");
        item.Property(i => i.Id).UseSerialColumn();
        item.HasOne(i => i.Category).WithMany().HasForeignKey(i => i.CategoryId)
            .HasConstraintName("inventory_items_category_id_fkey").OnDelete(DeleteBehavior.NoAction);
        item.Property(i => i.Price).HasPrecision(12, 2);
        item.Property(i => i.Listed).HasDefaultValue(true).HasSentinel(true);
        item.Property(i => i.Version).HasDefaultValue(0L);
        item.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
        item.Property(i => i.UpdatedAt).HasDefaultValueSql("now()");

        // Availability checks, deductions and the catalogue's keyset paging look rows up and order them by SKU.
        item.HasIndex(i => i.Sku, SkuIndexName).HasDatabaseName(SkuIndexName).IsUnique();
        // The catalogue lists only listed products through a partial index that holds just those rows, so however
        // many archived rows the table has, ListProducts' keyset paging reads only the products it returns.
        item.HasIndex(i => i.Sku, "ix_inventory_items_listed_sku").HasDatabaseName("ix_inventory_items_listed_sku").HasFilter("listed");
    }

    private static void ConfigureReservation(EntityTypeBuilder<StockReservation> reservation)
    {
        reservation.ToTable("inventory_reservations", table =>
        {
            table.HasCheckConstraint("inventory_reservations_quantity_check", "quantity > 0");
            table.HasCheckConstraint("inventory_reservations_status_check", $"status IN ('{Deducted}', '{Released}', '{Cancelled}')");
        });
        reservation.HasKey(r => new { r.OrderId, r.Sku }).HasName("inventory_reservations_pkey");
    }
}
