using OrderSystem.ServiceDefaults.Postgres;

namespace OrderSystem.Notifications.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("notificationsdb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);
    }
}
