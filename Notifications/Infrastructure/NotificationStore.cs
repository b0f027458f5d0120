using Microsoft.EntityFrameworkCore;
using OrderSystem.Notifications.Data;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Infrastructure;

/// <summary>The <c>notifications</c> table.</summary>
internal sealed class NotificationStore(NotificationsContext context)
{
    /// <summary>
    /// Inserts the notifications not recorded yet and delivers each new one before the transaction commits: a failed
    /// delivery rolls every row back, so a retry starts over, and a notification already recorded (a redelivered event)
    /// is neither inserted nor delivered again. A concurrent insert of the same row waits for the other transaction.
    /// </summary>
    /// <returns>How many notifications were new.</returns>
    public async Task<int> RecordAsync(
        IReadOnlyList<OutgoingNotification> notifications,
        Func<OutgoingNotification, CancellationToken, Task> deliver,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(deliver);

        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
        var recorded = 0;
        foreach (var notification in notifications)
        {
            if (await InsertIfNewAsync(notification.Record, cancellationToken))
            {
                await deliver(notification, cancellationToken);
                recorded++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    public async Task<IReadOnlyList<Notification>> GetByOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        await context.Notifications.AsNoTracking()
            .Where(notification => notification.OrderId == orderId)
            .OrderBy(notification => notification.CreatedAt).ThenBy(notification => notification.Id)
            .ToListAsync(cancellationToken);

    // ON CONFLICT DO NOTHING: a redelivered event's row is skipped, not an error that aborts the transaction.
    private async Task<bool> InsertIfNewAsync(Notification notification, CancellationToken cancellationToken) =>
        await context.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (id, event_id, order_id, user_id, channel, recipient, message, created_at)
            VALUES ({notification.Id}, {notification.EventId}, {notification.OrderId}, {notification.UserId},
                    {notification.Channel}, {notification.Recipient}, {notification.Message}, {notification.CreatedAt})
            ON CONFLICT (event_id, channel) DO NOTHING
            """, cancellationToken) == 1;
}
