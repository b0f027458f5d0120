using OrderSystem.Inventory.Caching;
using OrderSystem.Inventory.Faults;
using OrderSystem.Inventory.Grpc;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Services;
using OrderSystem.Inventory.Telemetry;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.ServiceDefaults.Postgres;

namespace OrderSystem.Inventory.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("inventorydb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);
        // The cache is an optimisation: Inventory starts without Redis and connects when it comes.
        builder.AddRedisClient("cache", configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddFaultSwitches("cache");

        builder.AddGrpcServices(InventoryExceptionMapper.Map);

        builder.Services.AddOptions<InventoryCacheOptions>()
            .BindConfiguration(InventoryCacheOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<InventoryCache>();
        builder.Services.AddSingleton<InventoryTelemetry>();
        builder.Services.AddSingleton<StockCatalog>();
        builder.Services.AddSingleton<StockLedger>();
        builder.Services.AddSingleton<AvailabilityChecker>();
        builder.Services.AddSingleton<OrderStockService>();

        builder.Services.AddSingleton<SkuIndexStatus>();
        builder.Services.AddSingleton<SkuIndexSchema>();
        builder.Services.AddHostedService<SkuIndexFault>();
    }
}
