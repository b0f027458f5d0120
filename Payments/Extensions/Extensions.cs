using OrderSystem.ServiceDefaults.Postgres;

namespace OrderSystem.Payments.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("paymentsdb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);
    }
}
