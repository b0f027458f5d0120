using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.ServiceDefaults.Postgres;

namespace OrderSystem.Orders.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("ordersdb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);
        builder.AddKafkaProducer("messaging");
    }
}
