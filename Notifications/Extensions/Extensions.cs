using OrderSystem.Contracts.Events;
using OrderSystem.Notifications.Infrastructure;
using OrderSystem.Notifications.IntegrationEvents;
using OrderSystem.Notifications.Services;
using OrderSystem.ServiceDefaults.Kafka;
using OrderSystem.ServiceDefaults.Postgres;

namespace OrderSystem.Notifications.Extensions;

internal static class Extensions
{
    public const string ConsumerGroup = "notifications";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("notificationsdb");
        builder.AddSchemaMigrations(typeof(Extensions).Assembly);

        builder.Services.AddSingleton<CustomerContacts>();
        builder.Services.AddSingleton<NotificationComposer>();
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddSingleton<NotificationStore>();

        builder.AddKafkaMessageHandler<OrderCreatedHandler, OrderEvent>(
            "messaging",
            options => options.Topics = [OrderEvents.Topic],
            consumer => consumer.Config.GroupId = ConsumerGroup);
    }
}
