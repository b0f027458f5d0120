namespace OrderSystem.Orders.Model;

/// <summary>One line of an order: a SKU, how many, and the unit price Inventory quoted when the order was placed.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Amount => UnitPrice * Quantity;
}
