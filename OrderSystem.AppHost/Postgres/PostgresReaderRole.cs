using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderSystem.AppHost.Infrastructure;

namespace OrderSystem.AppHost.Postgres;

/// <summary>
/// The role <c>diagnostics_reader</c>: it logs in with a generated password, may connect to the databases it is given
/// and holds <c>pg_read_all_data</c> (SELECT on every table, USAGE on every schema), which is what planning a query
/// needs. It writes nothing. The server's superuser creates it once a database that it is given is ready.
/// </summary>
public sealed class PostgresReaderRole(ParameterResource password, EndpointReference serverEndpoint, Func<CancellationToken, Task<string>> superuserConnectionString)
{
    public const string RoleName = "diagnostics_reader";

    // The databases' ready handlers run concurrently; CREATE ROLE from two sessions at once would collide.
    private readonly SemaphoreSlim _grants = new(1, 1);

    public ParameterResource Password { get; } = password;

    /// <summary>The role's connection string to one database, in the shape of Aspire's database connection strings.</summary>
    public ReferenceExpression ConnectionString(string databaseName) => ReferenceExpression.Create(
        $"Host={serverEndpoint.Property(EndpointProperty.Host)};Port={serverEndpoint.Property(EndpointProperty.Port)};Username={RoleName};Password={Password};Database={databaseName}");

    /// <summary>Creates the role if needed, sets its password (it may have been generated anew) and lets it connect to the database.</summary>
    internal async Task GrantAsync(string databaseName, ILogger log, CancellationToken cancellationToken)
    {
        await _grants.WaitAsync(cancellationToken);
        try
        {
            await using var dataSource = UntracedNpgsql.CreateDataSource(await superuserConnectionString(cancellationToken));
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            var secret = (await Password.GetValueAsync(cancellationToken) ?? string.Empty).Replace("'", "''", StringComparison.Ordinal);
            var database = databaseName.Replace("\"", "\"\"", StringComparison.Ordinal);
            await using var grant = new NpgsqlCommand(
                $"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{RoleName}') THEN CREATE ROLE {RoleName}; END IF;
                END $$;
                ALTER ROLE {RoleName} LOGIN PASSWORD '{secret}';
                GRANT pg_read_all_data TO {RoleName};
                GRANT CONNECT ON DATABASE "{database}" TO {RoleName};
                """,
                connection);
            await grant.ExecuteNonQueryAsync(cancellationToken);
            log.LogInformation("Role {Role} may read {Database}", RoleName, databaseName);
        }
        finally
        {
            _grants.Release();
        }
    }
}

public static class PostgresReaderRoleExtensions
{
    /// <summary>
    /// Gives the project the reader role's connection string to <paramref name="database"/> as
    /// <c>ConnectionStrings__&lt;database&gt;-reader</c>, and starts it once the role may read that database.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReaderReference(this IResourceBuilder<ProjectResource> builder, PostgresServer server, IResourceBuilder<IResourceWithConnectionString> database)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(database);
        var databaseName = database.Resource switch
        {
            LocalPostgresDatabaseResource local => local.DatabaseName,
            PostgresDatabaseResource container => container.DatabaseName,
            _ => throw new ArgumentException($"{database.Resource.Name} is no PostgreSQL database", nameof(database)),
        };

        // Granted once the database is ready; a planner that connects before then gets no plan, and asks again later.
        database.OnResourceReady((resource, @event, cancellationToken) =>
            server.ReaderRole.GrantAsync(databaseName, @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(resource), cancellationToken));
        return builder
            .WithEnvironment($"ConnectionStrings__{database.Resource.Name}-reader", server.ReaderRole.ConnectionString(databaseName))
            .WaitFor(database);
    }
}
