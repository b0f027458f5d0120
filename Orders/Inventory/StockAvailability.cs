using OrderSystem.Contracts;
using OrderSystem.Contracts.Inventory;

namespace OrderSystem.Orders.Inventory;

/// <summary>Inventory's CheckAvailability answer, by SKU, with the unit prices parsed.</summary>
public sealed class StockAvailability
{
    private readonly Dictionary<string, SkuAvailability> _bySku;

    private StockAvailability(Dictionary<string, SkuAvailability> bySku) => _bySku = bySku;

    /// <exception cref="InvalidOperationException">Inventory sent a price that is not a decimal amount.</exception>
    public static StockAvailability From(CheckAvailabilityResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bySku = new Dictionary<string, SkuAvailability>(StringComparer.Ordinal);
        foreach (var item in response.Items)
        {
            bySku[item.Sku] = item.Known
                ? new SkuAvailability(true, item.Available, ParsePrice(item))
                : new SkuAvailability(false, 0, 0);
        }

        return new StockAvailability(bySku);
    }

    /// <summary>What Inventory said about <paramref name="sku"/>; null when it said nothing.</summary>
    public SkuAvailability? Find(string sku) => _bySku.GetValueOrDefault(sku);

    private static decimal ParsePrice(ItemAvailability item)
    {
        try
        {
            return DecimalString.Parse(item.UnitPrice, "unit_price");
        }
        catch (ArgumentException exception)
        {
            // Not the caller's mistake, so not INVALID_ARGUMENT: Inventory broke the contract.
            throw new InvalidOperationException($"Inventory sent an invalid unit price for SKU {item.Sku}: {exception.Message}", exception);
        }
    }
}

public sealed record SkuAvailability(bool Known, int Available, decimal UnitPrice);
