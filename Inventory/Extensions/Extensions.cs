using OrderSystem.Inventory.Caching;
using OrderSystem.Inventory.Data;
using OrderSystem.Inventory.Faults;
using OrderSystem.Inventory.Grpc;
using OrderSystem.Inventory.Infrastructure;
using OrderSystem.Inventory.Services;
using OrderSystem.Inventory.Telemetry;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        // No retrying execution strategy: the ledger's transactions surface a failure (a deadlock included) to the
        // caller, which owns retries, rather than being replayed behind its back.
        builder.AddServiceDbContext<InventoryContext>("inventorydb");
        builder.Services.AddMigration<InventoryContext>();
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
        builder.Services.AddScoped<StockCatalog>();
        builder.Services.AddScoped<StockLedger>();
        builder.Services.AddScoped<AvailabilityChecker>();
        builder.Services.AddScoped<OrderStockService>();

        builder.Services.AddSingleton<SkuIndexStatus>();
        builder.Services.AddSingleton<SkuIndexSchema>();
        builder.Services.AddHostedService<SkuIndexFault>();
    }
}
