using System.Reflection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderSystem.ServiceDefaults.Postgres;

/// <summary>
/// Applies embedded SQL migrations in name order, each in its own transaction, recording them in
/// <c>schema_migrations</c>. An advisory lock makes concurrent starts (replicas) apply each migration once.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, Assembly migrationsAssembly, ILogger<SchemaMigrator> logger)
{
    // Any constant works; it only has to be the same for every instance of a service.
    private const long MigrationLockKey = 0x4f72646572537973;

    public IReadOnlyList<string> Migrations { get; } = migrationsAssembly.GetManifestResourceNames()
        .Where(name => name.Contains(".Migrations.", StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToArray();

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                id text PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);

        var applied = 0;
        foreach (var migration in Migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);

            await using var exists = new NpgsqlCommand("SELECT 1 FROM schema_migrations WHERE id = $1", connection, transaction)
            {
                Parameters = { new() { Value = migration } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, await ReadAsync(migration, cancellationToken), cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (id) VALUES ($1)", connection, transaction)
            {
                Parameters = { new() { Value = migration } },
            };
            await record.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(migration);
            applied++;
        }

        return applied;
    }

    private async Task<string> ReadAsync(string resourceName, CancellationToken cancellationToken)
    {
        await using var stream = migrationsAssembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"migration resource '{resourceName}' is missing");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Migration}")]
    private partial void LogApplied(string migration);
}
