using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OrderSystem.Orders.Data;

namespace OrderSystem.Orders.Outbox;

/// <summary>
/// The relay's side of the <c>outbox</c> table. The relay is a singleton that outlives any scope, so each read and
/// each batch gets a context of its own.
/// </summary>
public sealed class OutboxStore(IServiceScopeFactory scopes)
{
    /// <summary>The messages not yet published and when the oldest of them was written (the partial index covers it).</summary>
    public async Task<OutboxBacklog> ReadBacklogAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var backlog = await scope.ServiceProvider.GetRequiredService<OrdersContext>().Outbox
            .Where(row => row.PublishedAt == null)
            .GroupBy(_ => 1)
            .Select(pending => new OutboxBacklog(pending.LongCount(), pending.Min(row => (DateTimeOffset?)row.CreatedAt)))
            .SingleOrDefaultAsync(cancellationToken);
        return backlog ?? new OutboxBacklog(0, null);
    }

    /// <summary>
    /// Locks up to <paramref name="limit"/> messages that are due, oldest first, in a transaction the batch holds until
    /// it is committed. SKIP LOCKED lets several replicas relay side by side: each message goes to one of them.
    /// </summary>
    public async Task<OutboxBatch> ClaimDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var context = scope.ServiceProvider.GetRequiredService<OrdersContext>();
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken);
            var rows = await context.Outbox.FromSql($"""
                SELECT * FROM outbox
                WHERE published_at IS NULL AND next_attempt_at <= {now}
                ORDER BY id
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED
                """).AsNoTracking().ToListAsync(cancellationToken);
            var entries = rows.Select(row => new OutboxEntry(
                row.Id,
                row.Attempts,
                new OutboxMessage(
                    row.EventId,
                    row.Topic,
                    row.MessageKey,
                    row.EventType,
                    Encoding.UTF8.GetBytes(row.Payload),
                    JsonSerializer.Deserialize<Dictionary<string, string>>(row.Headers) ?? []))).ToArray();
            return new OutboxBatch(scope, context, transaction, entries);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }
}

/// <summary>The outbox's unpublished messages: how many, and when the oldest was written (null when none).</summary>
public sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestCreatedAt);

/// <summary>A claimed message: its row id and how many sends failed before.</summary>
public sealed record OutboxEntry(long Id, int Attempts, OutboxMessage Message);

/// <summary>Claimed outbox rows, locked until <see cref="CommitAsync"/> records what became of each.</summary>
public sealed class OutboxBatch(AsyncServiceScope scope, OrdersContext context, IDbContextTransaction transaction, IReadOnlyList<OutboxEntry> entries) : IAsyncDisposable
{
    public IReadOnlyList<OutboxEntry> Entries { get; } = entries;

    /// <summary>Marks the sent entries in one statement, however many the batch held.</summary>
    public async Task MarkPublishedAsync(IReadOnlyCollection<OutboxEntry> sent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Count == 0)
        {
            return;
        }

        // SQL rather than LINQ's ExecuteUpdate, whose expression tree was built, parameterised and looked up in the query
        // cache again for every batch.
        var ids = sent.Select(entry => entry.Id).ToArray();
        await context.Database.ExecuteSqlAsync(
            $"UPDATE outbox SET published_at = {now}, attempts = attempts + 1 WHERE id = ANY({ids})", cancellationToken);
    }

    public Task MarkFailedAsync(OutboxEntry entry, string error, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return context.Outbox.Where(row => row.Id == entry.Id).ExecuteUpdateAsync(
            row => row
                .SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.LastError, error)
                .SetProperty(r => r.NextAttemptAt, nextAttemptAt),
            cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    /// <summary>Without a commit the locks go and the rows stay pending: they are sent again (at least once).</summary>
    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await scope.DisposeAsync();
    }
}
