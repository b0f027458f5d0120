namespace OrderSystem.Inventory.Model;

/// <summary>A committed Deduct or Release: the quantities it moved, and its SKUs' stock right after it.</summary>
public sealed record StockChange(IReadOnlyList<StockQuantity> Lines, IReadOnlyList<StockItem> Stock);
