using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>
/// Healthy when PostgreSQL opens a session and answers a query: a port that merely accepts TCP connections may be
/// someone else's, and a server that is still starting refuses sessions.
/// </summary>
public sealed class NpgsqlSessionHealthCheck(Func<CancellationToken, Task<string>> connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var dataSource = UntracedNpgsql.CreateDataSource(await connectionString(cancellationToken));
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, exception.Message, exception);
        }
    }
}
