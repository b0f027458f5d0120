namespace OrderSystem.Inventory.Model;

/// <summary>A deduction would take a SKU below zero; nothing was deducted (FAILED_PRECONDITION).</summary>
public sealed class InsufficientStockException(IReadOnlyList<StockShortage> shortages)
    : Exception("Insufficient stock for " + string.Join(", ", shortages.Select(s => $"{s.Sku} (requested {s.Requested}, available {s.Available})")) + ".")
{
    public IReadOnlyList<StockShortage> Shortages { get; } = shortages;
}

public sealed record StockShortage(string Sku, int Requested, int Available);
