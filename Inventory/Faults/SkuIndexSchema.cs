using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrderSystem.Inventory.Data;

namespace OrderSystem.Inventory.Faults;

/// <summary>
/// The table changes behind <see cref="ServiceDefaults.Faults.KnownFaults.InventoryMissingIndex"/>: archived rows that
/// make <c>inventory_items</c> large (kept once added; the catalogue does not list them) and the unique index
/// <see cref="IndexName"/>, dropped and recreated without blocking writes (<c>CONCURRENTLY</c>). Each change holds a
/// session advisory lock, so replicas reacting to the same switch never change the table at once: one that does not
/// get the lock tries again later and then finds the work done.
/// </summary>
public sealed partial class SkuIndexSchema(IServiceScopeFactory scopes, TimeProvider timeProvider, ILogger<SkuIndexSchema> logger)
{
    public const string IndexName = InventoryContext.SkuIndexName;

    /// <summary>Archived rows are <c>ARCHIVED-0000001</c>, <c>ARCHIVED-0000002</c>, ...: seven digits.</summary>
    public const string ArchivedSkuPrefix = "ARCHIVED-";

    private const string ArchivedSkuPattern = "^" + ArchivedSkuPrefix + "[0-9]{7}$";

    public const int MaxArchivedRows = 5_000_000;

    // Any constant works; it only has to be the same for every replica.
    private const long ChangeLockKey = 0x536b75496e646578;

    // Adding millions of rows or building the index takes seconds, many more on a busy machine; stopping still cancels.
    private const int ChangeTimeoutSeconds = 600;

    /// <summary>Drops the index; false when another replica holds the lock.</summary>
    public Task<bool> TryDropIndexAsync(CancellationToken cancellationToken) => WithChangeLockAsync(
        async connection =>
        {
            if (await IsIndexValidAsync(connection, cancellationToken) is not null)
            {
                await ExecuteAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {IndexName}", cancellationToken);
                LogIndexDropped(IndexName);
            }
        },
        cancellationToken);

    /// <summary>
    /// Grows the table to at least <paramref name="archivedRows"/> archived rows (with the index dropped first, the
    /// insert need not maintain it). False when another replica holds the lock.
    /// </summary>
    public Task<bool> TryAddArchivedRowsAsync(int archivedRows, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(archivedRows);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(archivedRows, MaxArchivedRows);
        return WithChangeLockAsync(connection => AddArchivedRowsAsync(connection, archivedRows, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Makes sure the unique index exists and is valid: an INVALID one (a concurrent build that failed or was
    /// interrupted) is dropped and built again. False when another replica holds the lock.
    /// </summary>
    public Task<bool> TryRecreateIndexAsync(CancellationToken cancellationToken) => WithChangeLockAsync(
        async connection =>
        {
            var valid = await IsIndexValidAsync(connection, cancellationToken);
            if (valid is true)
            {
                return;
            }

            if (valid is false)
            {
                LogInvalidIndexDropped(IndexName);
                await ExecuteAsync(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {IndexName}", cancellationToken);
            }

            var started = timeProvider.GetTimestamp();
            await ExecuteAsync(connection, $"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {IndexName} ON inventory_items (sku)", cancellationToken);
            LogIndexCreated(IndexName, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        },
        cancellationToken);

    private async Task<bool> WithChangeLockAsync(Func<NpgsqlConnection, Task> change, CancellationToken cancellationToken)
    {
        // DDL outside any transaction, on one session that holds the advisory lock: the context's own connection.
        await using var scope = scopes.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<InventoryContext>().Database;
        await database.OpenConnectionAsync(cancellationToken);
        var connection = (NpgsqlConnection)database.GetDbConnection();
        // A try-lock, not a waiting one: a replica waiting inside a statement holds a snapshot, and a concurrent index
        // build waits for every older snapshot to end, so the two would wait for each other.
        if (await ScalarAsync(connection, "SELECT pg_try_advisory_lock($1)", ChangeLockKey, cancellationToken) is not true)
        {
            return false;
        }

        try
        {
            await change(connection);
            return true;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ScalarAsync(connection, "SELECT pg_advisory_unlock($1)", ChangeLockKey, CancellationToken.None);
            }
        }
    }

    private async Task AddArchivedRowsAsync(NpgsqlConnection connection, int archivedRows, CancellationToken cancellationToken)
    {
        long existing;
        long lastNumber;
        await using (var count = new NpgsqlCommand(
            "SELECT count(*), coalesce(max(right(sku, 7)::int), 0) FROM inventory_items WHERE sku ~ $1", connection)
        {
            CommandTimeout = ChangeTimeoutSeconds,
            Parameters = { new() { Value = ArchivedSkuPattern } },
        })
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (existing, lastNumber) = (reader.GetInt64(0), reader.GetInt32(1));
        }

        if (existing >= archivedRows)
        {
            return;
        }

        var started = timeProvider.GetTimestamp();
        // One set-based statement; numbering goes on after the last archived row, so no SKU repeats.
        await using var insert = new NpgsqlCommand("""
            INSERT INTO inventory_items (sku, name, category_id, price, available, listed)
            SELECT $1 || lpad(n::text, 7, '0'), 'Archived item ' || n, (SELECT min(id) FROM categories), 1.00, 0, false
            FROM generate_series($2 + 1, $2 + $3) AS n
            """, connection)
        {
            CommandTimeout = ChangeTimeoutSeconds,
            Parameters = { new() { Value = ArchivedSkuPrefix }, new() { Value = lastNumber }, new() { Value = archivedRows - existing } },
        };
        var added = await insert.ExecuteNonQueryAsync(cancellationToken);
        // The planner must know the table is large now, or it keeps planning for the small one.
        await ExecuteAsync(connection, "ANALYZE inventory_items", cancellationToken);
        LogArchivedRowsAdded(added, existing + added, timeProvider.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>True when the index exists and is valid, false when it exists but is INVALID, null when it does not exist.</summary>
    private static async Task<bool?> IsIndexValidAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (bool?)await ScalarAsync(connection, "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)", IndexName, cancellationToken);

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, object parameter, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = parameter } } };
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = ChangeTimeoutSeconds };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Added {Added} archived rows to inventory_items ({Total} in all) in {ElapsedMs:0} ms")]
    private partial void LogArchivedRowsAdded(long added, long total, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped index {Index}: lookups of inventory_items by SKU now scan the table")]
    private partial void LogIndexDropped(string index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index {Index} is INVALID (an interrupted or failed build); dropping it to build it again")]
    private partial void LogInvalidIndexDropped(string index);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created index {Index} in {ElapsedMs:0} ms: lookups of inventory_items by SKU use it again")]
    private partial void LogIndexCreated(string index, double elapsedMs);
}
