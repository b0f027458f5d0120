using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderSystem.Inventory.Data;
using OrderSystem.Inventory.Faults;
using OrderSystem.Inventory.Model;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Infrastructure;

/// <summary>
/// Reads of <c>inventory_items</c> that change nothing: the availability fallback (any SKU, archived ones too) and
/// the catalogue (listed products only).
/// </summary>
public sealed class StockCatalog(InventoryContext context, FaultSwitches faults, SkuIndexStatus skuIndex)
{
    /// <summary>The SKUs that exist, in one query; unknown SKUs are simply absent from the answer.</summary>
    public async Task<IReadOnlyList<StockItem>> GetItemsAsync(IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(skus);
        skuIndex.RecordIfMissing(Activity.Current);
        return await context.Items.AsNoTracking()
            .Where(item => skus.Contains(item.Sku))
            .Select(item => new StockItem(item.Sku, item.Name, item.Price, item.Available, item.Version))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Up to <paramref name="limit"/> products in SKU order, starting after <paramref name="afterSku"/>.</summary>
    public async Task<IReadOnlyList<CatalogProduct>> ListProductsAsync(string? afterSku, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (await faults.IsOnAsync(KnownFaults.ProductsNPlusOne, cancellationToken))
        {
            FaultTelemetry.RecordInjected(Activity.Current, KnownFaults.ProductsNPlusOne);
            return await ListProductsOneCategoryAtATimeAsync(afterSku, limit, cancellationToken);
        }

        // One query: the projection through the Category navigation becomes a JOIN.
        return await Page(afterSku, limit)
            .Select(item => new CatalogProduct(item.Sku, item.Name, item.Category.Name, item.Price, item.Available))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The fault <see cref="KnownFaults.ProductsNPlusOne"/>: the same page, but each product's category is read with
    /// its own query in a loop, the N+1 that EF Core code hits when it loads a related row per entity.
    /// </summary>
    private async Task<IReadOnlyList<CatalogProduct>> ListProductsOneCategoryAtATimeAsync(string? afterSku, int limit, CancellationToken cancellationToken)
    {
        var items = await Page(afterSku, limit).ToListAsync(cancellationToken);
        var products = new List<CatalogProduct>(items.Count);
        foreach (var item in items)
        {
            var category = await context.Categories.AsNoTracking()
                .Where(category => category.Id == item.CategoryId)
                .Select(category => category.Name)
                .SingleAsync(cancellationToken);
            products.Add(new CatalogProduct(item.Sku, item.Name, category, item.Price, item.Available));
        }

        return products;
    }

    /// <summary>Keyset paging over the listed products, which the partial index on <c>sku WHERE listed</c> serves.</summary>
    private IQueryable<InventoryItem> Page(string? afterSku, int limit)
    {
        var listed = context.Items.AsNoTracking().Where(item => item.Listed);
        if (afterSku is not null)
        {
            listed = listed.Where(item => string.Compare(item.Sku, afterSku) > 0);
        }

        return listed.OrderBy(item => item.Sku).Take(limit);
    }
}
