using System.Diagnostics;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Services;

/// <summary>
/// Sends a notification through its channel's provider, simulated: nothing leaves the process, but each send is a
/// CLIENT span <c>send {channel}</c>, a log line and a count, where a call to an SMTP server or SMS gateway would be.
/// Spans and logs carry the masked recipient only.
/// </summary>
internal sealed partial class NotificationSender(ILogger<NotificationSender> logger)
{
    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        cancellationToken.ThrowIfCancellationRequested();

        var record = notification.Record;
        using var activity = NotificationsTelemetry.ActivitySource.StartActivity($"send {record.Channel}", ActivityKind.Client);
        activity?.SetTag(NotificationsTelemetry.ChannelAttribute, record.Channel)
            .SetTag(NotificationsTelemetry.RecipientAttribute, notification.Recipient.Masked)
            .SetTag(NotificationsTelemetry.NotificationIdAttribute, record.Id.ToString())
            .SetTag(NotificationsTelemetry.OrderIdAttribute, record.OrderId.ToString());

        LogSent(record.Channel, notification.Recipient.Masked, record.OrderId);
        NotificationsTelemetry.SentNotifications.Add(1, new KeyValuePair<string, object?>(NotificationsTelemetry.ChannelAttribute, record.Channel));
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Channel} notification to {Recipient} for order {OrderId} (simulated)")]
    private partial void LogSent(string channel, string recipient, Guid orderId);
}
