namespace OrderSystem.Inventory.Model;

/// <summary>A stock change named SKUs the catalogue does not have; nothing was changed (NOT_FOUND).</summary>
public sealed class UnknownSkuException(IReadOnlyList<string> skus)
    : Exception($"Unknown SKU(s): {string.Join(", ", skus)}.")
{
    public IReadOnlyList<string> Skus { get; } = skus;
}
