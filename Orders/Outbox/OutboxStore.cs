using System.Text.Json;
using Npgsql;

namespace OrderSystem.Orders.Outbox;

/// <summary>The relay's side of the <c>outbox</c> table.</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>The messages not yet published and when the oldest of them was written (the partial index covers it).</summary>
    public async Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*), min(created_at) FROM outbox WHERE published_at IS NULL");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxBacklog(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>
    /// Locks up to <paramref name="limit"/> messages that are due, oldest first, in a transaction the batch holds until
    /// it is committed. SKIP LOCKED lets several replicas relay side by side: each message goes to one of them.
    /// </summary>
    public async Task<OutboxBatch> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT id, event_id, topic, message_key, event_type, payload::text, headers::text, attempts
                FROM outbox
                WHERE published_at IS NULL AND next_attempt_at <= $1
                ORDER BY id
                LIMIT $2
                FOR UPDATE SKIP LOCKED
                """, connection, transaction);
            command.Parameters.Add(new() { Value = now });
            command.Parameters.Add(new() { Value = limit });

            var entries = new List<OutboxEntry>();
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    entries.Add(new OutboxEntry(
                        reader.GetInt64(0),
                        reader.GetInt32(7),
                        new OutboxMessage(
                            reader.GetGuid(1),
                            reader.GetString(2),
                            reader.GetString(3),
                            reader.GetString(4),
                            System.Text.Encoding.UTF8.GetBytes(reader.GetString(5)),
                            JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(6)) ?? [])));
                }
            }

            return new OutboxBatch(connection, transaction, entries);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>The outbox's unpublished messages: how many, and when the oldest was written (null when none).</summary>
public sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestCreatedAt);

/// <summary>A claimed message: its row id and how many sends failed before.</summary>
public sealed record OutboxEntry(long Id, int Attempts, OutboxMessage Message);

/// <summary>Claimed outbox rows, locked until <see cref="CommitAsync"/> records what became of each.</summary>
public sealed class OutboxBatch(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<OutboxEntry> entries) : IAsyncDisposable
{
    public IReadOnlyList<OutboxEntry> Entries { get; } = entries;

    public async Task MarkPublishedAsync(OutboxEntry entry, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = new NpgsqlCommand("UPDATE outbox SET published_at = $2, attempts = attempts + 1 WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = entry.Id });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkFailedAsync(OutboxEntry entry, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = new NpgsqlCommand(
            "UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = entry.Id });
        command.Parameters.Add(new() { Value = error });
        command.Parameters.Add(new() { Value = nextAttemptAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    /// <summary>Without a commit the locks go and the rows stay pending: they are sent again (at least once).</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
