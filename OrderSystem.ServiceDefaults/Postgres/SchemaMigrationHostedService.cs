using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderSystem.ServiceDefaults.Postgres;

/// <summary>
/// Migrates the schema before the server starts accepting requests (hosted services start before Kestrel).
/// Retries while the database is still coming up, so a service started alongside PostgreSQL does not crash.
/// </summary>
internal sealed partial class SchemaMigrationHostedService(SchemaMigrator migrator, TimeProvider timeProvider, ILogger<SchemaMigrationHostedService> logger) : IHostedService
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + RetryFor;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && timeProvider.GetUtcNow() < deadline)
            {
                LogRetrying(exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not ready for migrations, retrying: {Reason}")]
    private partial void LogRetrying(string reason);
}
