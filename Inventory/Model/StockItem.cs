namespace OrderSystem.Inventory.Model;

/// <summary>What an availability check needs to know about a SKU; also what the cache holds.</summary>
public sealed record StockItem(string Sku, string Name, decimal UnitPrice, int Available);
