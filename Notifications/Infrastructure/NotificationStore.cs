using Microsoft.EntityFrameworkCore;
using OrderSystem.Notifications.Data;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Infrastructure;

/// <summary>The <c>notifications</c> table.</summary>
internal sealed class NotificationStore(NotificationsContext context)
{
    // Compiled once (EF Core's compiled queries): as LINQ each read built its expression tree again and looked its
    // translation up in the query cache.
    private static readonly Func<NotificationsContext, Guid, IAsyncEnumerable<Notification>> NotificationsOf =
        EF.CompileAsyncQuery<NotificationsContext, Guid, Notification>((context, orderId) =>
            context.Notifications.AsNoTracking()
                .Where(notification => notification.OrderId == orderId)
                .OrderBy(notification => notification.CreatedAt).ThenBy(notification => notification.Id));

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
        var inserted = await InsertNewAsync([.. notifications.Select(notification => notification.Record)], cancellationToken);
        foreach (var notification in notifications.Where(notification => inserted.Contains(notification.Record.Id)))
        {
            await deliver(notification, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return inserted.Count;
    }

    public async Task<IReadOnlyList<Notification>> GetByOrderAsync(Guid orderId, CancellationToken cancellationToken) =>
        await NotificationsOf(context, orderId).ToListAsync(cancellationToken);

    // One statement for all of an event's rows, so the transaction holds them for one round trip before the deliveries.
    // ON CONFLICT DO NOTHING: a redelivered event's rows are skipped, not an error that aborts the transaction, and
    // RETURNING names only the rows this statement inserted.
    private async Task<HashSet<Guid>> InsertNewAsync(Notification[] rows, CancellationToken cancellationToken)
    {
        var inserted = await context.Database.SqlQuery<Guid>($"""
            INSERT INTO notifications (id, event_id, order_id, user_id, channel, recipient, message, created_at)
            SELECT * FROM unnest(
                {rows.Select(row => row.Id).ToArray()}::uuid[],
                {rows.Select(row => row.EventId).ToArray()}::uuid[],
                {rows.Select(row => row.OrderId).ToArray()}::uuid[],
                {rows.Select(row => row.UserId).ToArray()}::text[],
                {rows.Select(row => row.Channel).ToArray()}::text[],
                {rows.Select(row => row.Recipient).ToArray()}::text[],
                {rows.Select(row => row.Message).ToArray()}::text[],
                {rows.Select(row => row.CreatedAt).ToArray()}::timestamptz[])
            ON CONFLICT (event_id, channel) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return [.. inserted];
    }
}
