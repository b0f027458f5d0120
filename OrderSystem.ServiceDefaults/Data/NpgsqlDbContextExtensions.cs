using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.Data;

public static class NpgsqlDbContextExtensions
{
    // Each service runs a few dozen distinct statements, so this many per connection covers them all.
    private const int MaxAutoPreparedStatements = 64;

    /// <summary>
    /// Registers a service's DbContext with Aspire.Npgsql.EntityFrameworkCore.PostgreSQL the way every service needs it:
    /// the connection string is required at start, columns are snake_case (EFCore.NamingConventions), and there is no
    /// retrying execution strategy, since the saga, the consumers and their callers own retries.
    /// </summary>
    public static void AddServiceDbContext<TContext>(this IHostApplicationBuilder builder, string connectionName) where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireConnectionString(connectionName).AddNpgsqlDbContext<TContext>(
            connectionName,
            settings =>
            {
                settings.DisableRetry = true;
                settings.ConnectionString = WithStatementReuse(settings.ConnectionString);
            },
            options => options.UseSnakeCaseNamingConvention());
    }

    /// <summary>
    /// Lets pooled connections keep what PostgreSQL already did for them, unless the connection string says otherwise.
    /// Without it every statement is parsed and planned anew, and every connection handed back to the pool is reset
    /// with DISCARD ALL: under load that was most of PostgreSQL's CPU (docs/benchmarks.md, "Order path"). Nothing in
    /// the services leaves session state behind (their advisory locks are transaction-scoped), so a reset has nothing
    /// to clear.
    /// </summary>
    public static string? WithStatementReuse(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString))
        {
            return connectionString;
        }

        // NpgsqlConnectionStringBuilder reports every keyword it knows as present, so the keys given are read raw.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>()
            .Select(key => key.Replace(" ", string.Empty, StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
        {
            builder.MaxAutoPrepare = MaxAutoPreparedStatements;
        }

        if (!given.Contains(nameof(NpgsqlConnectionStringBuilder.NoResetOnClose)))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
