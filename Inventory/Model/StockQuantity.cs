namespace OrderSystem.Inventory.Model;

/// <summary>A validated request line: a SKU and a positive quantity.</summary>
public sealed record StockQuantity(string Sku, int Quantity);
