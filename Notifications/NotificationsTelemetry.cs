using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OrderSystem.Notifications;

/// <summary>The service's own spans and metrics; exported because the name matches <c>OrderSystem.*</c>.</summary>
internal static class NotificationsTelemetry
{
    public const string Name = "OrderSystem.Notifications";

    public const string ChannelAttribute = "notification.channel";
    public const string RecipientAttribute = "notification.recipient";
    public const string DuplicateAttribute = "notification.duplicate";
    public const string NotificationIdAttribute = "notification.id";
    public const string EventIdAttribute = "ordersystem.event.id";
    public const string OrderIdAttribute = "ordersystem.order.id";
    public const string ErrorTypeAttribute = "error.type";

    public static readonly ActivitySource ActivitySource = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> SentNotifications = Meter.CreateCounter<long>(
        "ordersystem.notifications.sent", "{notification}", "Notifications sent, by channel.");

    public static readonly Counter<long> DuplicateEvents = Meter.CreateCounter<long>(
        "ordersystem.notifications.duplicates", "{event}", "Events delivered again after their notifications were recorded.");
}
