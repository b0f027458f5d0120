using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace OrderSystem.ServiceDefaults.Data;

/// <summary>
/// Applies a context's EF Core migrations when the service starts, as eShop does: hosted services start before
/// Kestrel, so the service serves nothing until its schema is current. EF Core's migration lock makes concurrent
/// starts (replicas) apply each migration once.
/// </summary>
public static partial class MigrateDbContextExtensions
{
    public static IServiceCollection AddMigration<TContext>(this IServiceCollection services) where TContext : DbContext =>
        services.AddHostedService<MigrationHostedService<TContext>>();

    private sealed partial class MigrationHostedService<TContext>(IServiceProvider services, TimeProvider timeProvider, ILogger<TContext> logger) : IHostedService
        where TContext : DbContext
    {
        // The services run without EF Core's retrying strategy (their callers own retries), so migrations retry here
        // while the database is still coming up, and a service started alongside PostgreSQL does not crash.
        private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var deadline = timeProvider.GetUtcNow() + RetryFor;
            while (true)
            {
                try
                {
                    await using var scope = services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<TContext>().Database.MigrateAsync(cancellationToken);
                    LogMigrated(typeof(TContext).Name);
                    return;
                }
                catch (NpgsqlException exception) when (exception.IsTransient && timeProvider.GetUtcNow() < deadline)
                {
                    LogRetrying(typeof(TContext).Name, exception.Message);
                    await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
                }
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Information, Message = "The database of {DbContext} is migrated")]
        private partial void LogMigrated(string dbContext);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The database of {DbContext} is not ready for migrations, retrying: {Reason}")]
        private partial void LogRetrying(string dbContext, string reason);
    }
}
