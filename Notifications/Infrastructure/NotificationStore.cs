using Npgsql;
using OrderSystem.Notifications.Model;

namespace OrderSystem.Notifications.Infrastructure;

/// <summary>The <c>notifications</c> table.</summary>
internal sealed class NotificationStore(NpgsqlDataSource dataSource)
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

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = 0;
        foreach (var notification in notifications)
        {
            if (await InsertIfNewAsync(connection, transaction, notification.Record, cancellationToken))
            {
                await deliver(notification, cancellationToken);
                recorded++;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    public async Task<IReadOnlyList<Notification>> GetByOrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, event_id, order_id, user_id, channel, recipient, message, created_at
            FROM notifications
            WHERE order_id = $1
            ORDER BY created_at, id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = orderId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var notifications = new List<Notification>();
        while (await reader.ReadAsync(cancellationToken))
        {
            notifications.Add(new Notification(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetGuid(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return notifications;
    }

    private static async Task<bool> InsertIfNewAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Notification notification, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO notifications (id, event_id, order_id, user_id, channel, recipient, message, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT (event_id, channel) DO NOTHING
            """, connection, transaction)
        {
            Parameters =
            {
                new() { Value = notification.Id },
                new() { Value = notification.EventId },
                new() { Value = notification.OrderId },
                new() { Value = notification.UserId },
                new() { Value = notification.Channel },
                new() { Value = notification.Recipient },
                new() { Value = notification.Message },
                new() { Value = notification.CreatedAt },
            },
        };
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
