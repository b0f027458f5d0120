using OrderSystem.ServiceDefaults.Postgres;
using OrderSystem.ServiceDefaults.Redis;

namespace OrderSystem.Inventory.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("inventorydb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);
        builder.AddRedisClient("cache");
    }
}
