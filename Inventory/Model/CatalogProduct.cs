namespace OrderSystem.Inventory.Model;

/// <summary>A row of the product catalogue.</summary>
public sealed record CatalogProduct(string Sku, string Name, string Category, decimal UnitPrice, int Available);
