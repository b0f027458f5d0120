using System.Globalization;
using OrderSystem.Contracts.Inventory;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Inventory;

/// <summary>The seeded catalogue, its index, and ListProducts' keyset paging.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ProductCatalogTests(TopologyFixture fixture) : IAsyncDisposable
{
    private readonly InventoryHarness _inventory = new(fixture.Topology);

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _inventory.DisposeAsync();

    [Fact]
    public async Task Paging_walks_the_whole_catalogue_in_sku_order_without_gaps_or_repeats()
    {
        var (products, pages) = await ListAllAsync(pageSize: 7);

        var skus = products.Select(p => p.Sku).ToArray();
        Assert.Equal(skus.Distinct().Count(), skus.Length);
        Assert.Equal(await CountProductsAsync(), skus.Length);
        Assert.Equal((skus.Length + 6) / 7, pages);

        var seeded = products.Where(p => p.Sku.StartsWith("SKU-", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Enumerable.Range(1, 60).Select(i => $"SKU-{i:D4}"), seeded.Select(p => p.Sku));
        Assert.Equal(6, seeded.Select(p => p.Category).Distinct().Count());
        Assert.All(seeded, product =>
        {
            Assert.False(string.IsNullOrWhiteSpace(product.Name));
            Assert.True(decimal.Parse(product.UnitPrice, CultureInfo.InvariantCulture) > 0);
            Assert.True(product.Available >= 0);
        });
        var espresso = seeded[0];
        Assert.Equal(("Espresso Beans 1 kg", "Coffee & Tea", "18.90"), (espresso.Name, espresso.Category, espresso.UnitPrice));
    }

    [Fact]
    public async Task Page_size_zero_is_the_default_and_a_large_one_is_capped()
    {
        var defaultPage = await _inventory.Client.ListProductsAsync(new ListProductsRequest(), cancellationToken: CancellationToken);
        var cappedPage = await _inventory.Client.ListProductsAsync(new ListProductsRequest { PageSize = 1000 }, cancellationToken: CancellationToken);

        Assert.Equal(20, defaultPage.Products.Count);
        Assert.NotEmpty(defaultPage.NextPageToken);
        Assert.Equal(Math.Min(100, await CountProductsAsync()), cappedPage.Products.Count);
    }

    [Fact]
    public async Task A_product_added_to_the_database_is_listed_with_its_category_price_and_stock()
    {
        var skus = await _inventory.CreateSkusAsync(321);

        var (products, _) = await ListAllAsync(pageSize: 100);

        var product = Assert.Single(products, p => p.Sku == skus[0]);
        Assert.Equal(("Test item " + skus[0], "Coffee & Tea", "12.50", 321), (product.Name, product.Category, product.UnitPrice, product.Available));
    }

    [Fact]
    public async Task The_sku_column_has_its_unique_index()
    {
        await using var sql = _inventory.Database.CreateCommand(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'inventory_items' AND indexname = 'ix_inventory_items_sku'");
        var definition = (string?)await sql.ExecuteScalarAsync(CancellationToken);

        Assert.NotNull(definition);
        Assert.Contains("UNIQUE INDEX", definition, StringComparison.Ordinal);
        Assert.Contains("(sku)", definition, StringComparison.Ordinal);
    }

    private async Task<(List<Product> Products, int Pages)> ListAllAsync(int pageSize)
    {
        var products = new List<Product>();
        var pages = 0;
        var token = string.Empty;
        do
        {
            var page = await _inventory.Client.ListProductsAsync(new ListProductsRequest { PageSize = pageSize, PageToken = token }, cancellationToken: CancellationToken);
            Assert.InRange(page.Products.Count, 1, pageSize);
            products.AddRange(page.Products);
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 1000);

        Assert.Empty(token);
        return (products, pages);
    }

    private async Task<int> CountProductsAsync()
    {
        await using var sql = _inventory.Database.CreateCommand("SELECT count(*) FROM inventory_items WHERE listed");
        return (int)(long)(await sql.ExecuteScalarAsync(CancellationToken))!;
    }
}
