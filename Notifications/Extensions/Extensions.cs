using OrderSystem.Contracts.Events;
using OrderSystem.Notifications.Data;
using OrderSystem.Notifications.Infrastructure;
using OrderSystem.Notifications.IntegrationEvents;
using OrderSystem.Notifications.Services;
using OrderSystem.ServiceDefaults.Data;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Notifications.Extensions;

internal static class Extensions
{
    public const string ConsumerGroup = "notifications";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDbContext<NotificationsContext>("notificationsdb");
        builder.Services.AddMigration<NotificationsContext>();

        builder.Services.AddSingleton<CustomerContacts>();
        builder.Services.AddSingleton<NotificationComposer>();
        builder.Services.AddSingleton<NotificationSender>();
        builder.Services.AddScoped<NotificationStore>();

        builder.AddKafkaMessageHandler<OrderCreatedHandler, OrderEvent>(
            "messaging",
            options => options.Topics = [OrderEvents.Topic],
            consumer => consumer.Config.GroupId = ConsumerGroup);
    }
}
