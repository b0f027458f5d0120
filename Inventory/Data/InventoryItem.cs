namespace OrderSystem.Inventory.Data;

/// <summary>A row of <c>inventory_items</c>: a SKU, its price and its stock.</summary>
public sealed class InventoryItem
{
    public long Id { get; set; }

    public required string Sku { get; set; }

    public required string Name { get; set; }

    public int CategoryId { get; set; }

    public Category Category { get; set; } = null!;

    public decimal Price { get; set; }

    /// <summary>The last line of defence: the ledger checks stock under row locks before it deducts.</summary>
    public int Available { get; set; }

    /// <summary>Archived products stay (their stock and reservations are history) but the catalogue no longer lists them.</summary>
    public bool Listed { get; set; }

    /// <summary>Counts committed stock changes; the cache keeps it with each entry, so an older write never overwrites a newer one.</summary>
    public long Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A row of <c>categories</c>.</summary>
public sealed class Category
{
    public int Id { get; set; }

    public required string Name { get; set; }
}

/// <summary>
/// A row of <c>inventory_reservations</c>: what one order took of one SKU. One row per (order, SKU) makes Deduct and
/// Release idempotent per order id.
/// </summary>
public sealed class StockReservation
{
    public Guid OrderId { get; set; }

    public required string Sku { get; set; }

    public int Quantity { get; set; }

    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
