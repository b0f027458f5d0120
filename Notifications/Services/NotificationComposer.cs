using System.Globalization;
using OrderSystem.Contracts.Events;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Services;

/// <summary>Writes the notifications an <c>order.created</c> event produces: an email and an SMS to the customer.</summary>
internal sealed class NotificationComposer(TimeProvider timeProvider)
{
    public IReadOnlyList<OutgoingNotification> ComposeOrderCreated(OrderEvent orderEvent, CustomerContact contact)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        ArgumentNullException.ThrowIfNull(contact);

        var createdAt = timeProvider.GetUtcNow();
        var total = string.Create(CultureInfo.InvariantCulture, $"{orderEvent.TotalAmount:0.00} {orderEvent.Currency}");
        var itemCount = orderEvent.Items.Sum(item => item.Quantity);
        var email = string.Create(
            CultureInfo.InvariantCulture,
            $"Thank you for your order {orderEvent.OrderId}: {itemCount} item(s), {total}. We will let you know when it ships.");
        var sms = $"OrderSystem: order {orderEvent.OrderId.ToString()[..8]} received, {total}.";

        return
        [
            Outgoing(orderEvent, NotificationChannel.Email, contact.Email, email, createdAt),
            Outgoing(orderEvent, NotificationChannel.Sms, contact.Phone, sms, createdAt),
        ];
    }

    private static OutgoingNotification Outgoing(OrderEvent orderEvent, string channel, Recipient recipient, string message, DateTimeOffset createdAt) =>
        new(
            new Notification(
                Guid.CreateVersion7(createdAt),
                orderEvent.EventId,
                orderEvent.OrderId,
                orderEvent.UserId,
                channel,
                recipient.Masked,
                message,
                createdAt),
            recipient);
}
