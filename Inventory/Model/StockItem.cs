namespace OrderSystem.Inventory.Model;

/// <summary>
/// What an availability check needs to know about a SKU; also what the cache holds. <see cref="Version"/> counts the
/// SKU's committed stock changes, so of two copies the one with the higher version is the newer.
/// </summary>
public sealed record StockItem(string Sku, string Name, decimal UnitPrice, int Available, long Version);
