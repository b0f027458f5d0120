using System.Diagnostics;
using OrderSystem.Contracts.Events;
using OrderSystem.Notifications.Infrastructure;
using OrderSystem.Notifications.Services;
using OrderSystem.ServiceDefaults.Kafka;

namespace OrderSystem.Notifications.IntegrationEvents;

/// <summary>
/// Consumes <c>order.events</c>: records and sends the notifications of each <c>order.created</c>, once per event id.
/// Other event types are acknowledged and skipped. A payload that does not parse is dead-lettered by the consumer loop;
/// a database failure throws, so the loop retries and, when every retry fails, dead-letters the event.
/// </summary>
internal sealed partial class OrderCreatedHandler(
    CustomerContacts contacts,
    NotificationComposer composer,
    NotificationStore store,
    NotificationSender sender,
    ILogger<OrderCreatedHandler> logger) : IKafkaMessageHandler<OrderEvent>
{
    public OrderEvent Deserialize(ReadOnlySpan<byte> payload) => OrderEvents.Deserialize(payload);

    public async Task HandleAsync(KafkaMessage<OrderEvent> message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var orderEvent = message.Value;
        if (orderEvent.EventType != OrderEvents.Created)
        {
            LogIgnored(orderEvent.EventType, orderEvent.EventId);
            return;
        }

        using var activity = NotificationsTelemetry.ActivitySource.StartActivity($"handle {OrderEvents.Created}");
        activity?.SetTag(NotificationsTelemetry.EventIdAttribute, orderEvent.EventId.ToString())
            .SetTag(NotificationsTelemetry.OrderIdAttribute, orderEvent.OrderId.ToString());
        try
        {
            var notifications = composer.ComposeOrderCreated(orderEvent, contacts.Find(orderEvent.UserId));
            var recorded = await store.RecordAsync(notifications, sender.SendAsync, cancellationToken);
            var duplicate = recorded == 0;
            activity?.SetTag(NotificationsTelemetry.DuplicateAttribute, duplicate);
            if (duplicate)
            {
                NotificationsTelemetry.DuplicateEvents.Add(1);
                LogDuplicate(orderEvent.EventId, orderEvent.OrderId);
            }
            else
            {
                LogRecorded(recorded, orderEvent.OrderId, orderEvent.EventId);
            }
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error)
                .SetTag(NotificationsTelemetry.ErrorTypeAttribute, exception.GetType().FullName)
                .AddException(exception);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring order event {EventType} {EventId}: Notifications handles order.created only")]
    private partial void LogIgnored(string eventType, Guid eventId);

    // Debug: each recorded notification is logged at Information when it is sent (NotificationSender).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Recorded {Count} notification(s) for order {OrderId} (event {EventId})")]
    private partial void LogRecorded(int count, Guid orderId, Guid eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} for order {OrderId} was already handled; nothing recorded or sent again")]
    private partial void LogDuplicate(Guid eventId, Guid orderId);
}
