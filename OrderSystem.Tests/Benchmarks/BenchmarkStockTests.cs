extern alias inventory;
using inventory::OrderSystem.Inventory.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSystem.Benchmarks.OrderPath;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>
/// order-path fills the stock of the systems it starts (found through their <c>endpoints.json</c>), on Inventory's real schema (its migrations and seeded
/// catalogue), as a stock change would: every product, each with a new version for Inventory's cache.
/// </summary>
public sealed class BenchmarkStockTests
{
    [Trait("Category", "Integration")]
    [Fact]
    public async Task Every_product_gets_the_benchmarks_stock_under_a_new_version()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var postgres = await PostgresServer.StartAsync(cancellationToken);
        var connectionString = await postgres.CreateDatabaseAsync("inventorydb", cancellationToken);
        await MigrateInventoryAsync(connectionString, cancellationToken);
        var before = await StockAsync(connectionString, cancellationToken);
        Assert.NotEmpty(before);
        Assert.All(before, product => Assert.True(product.Available < BenchmarkStock.UnitsPerSku, $"{product.Sku} is seeded with {product.Available}"));

        var endpointsPath = Path.Combine(Path.GetTempPath(), $"endpoints-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(endpointsPath, JsonSerializer.Serialize(new { resources = new { inventorydb = new { connectionString } } }), cancellationToken);
        int filled;
        try
        {
            filled = await BenchmarkStock.FillAsync(endpointsPath, cancellationToken);
        }
        finally
        {
            File.Delete(endpointsPath);
        }

        var after = await StockAsync(connectionString, cancellationToken);
        Assert.Equal(before.Count, filled);
        Assert.Equal(before.Select(product => product.Sku), after.Select(product => product.Sku));
        Assert.All(after, product => Assert.Equal(BenchmarkStock.UnitsPerSku, product.Available));
        Assert.All(before.Zip(after), pair => Assert.Equal(pair.First.Version + 1, pair.Second.Version));
    }

    private static async Task MigrateInventoryAsync(string connectionString, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:inventorydb"] = connectionString,
            ["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableTracing"] = "true",
            ["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:DisableHealthChecks"] = "true",
        });
        builder.AddServiceDbContext<InventoryContext>("inventorydb");
        using var host = builder.Build();
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InventoryContext>().Database.MigrateAsync(cancellationToken);
    }

    private static async Task<List<(string Sku, int Available, long Version)>> StockAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("SELECT sku, available, version FROM inventory_items ORDER BY sku");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var stock = new List<(string, int, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            stock.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)));
        }

        return stock;
    }
}
