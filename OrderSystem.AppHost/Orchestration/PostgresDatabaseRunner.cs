using Npgsql;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>Creates a database on its server once the server accepts connections; healthy while the database answers.</summary>
public sealed class PostgresDatabaseRunner(RunnerContext context) : ResourceRunner(context)
{
    public override ProcessSpec? CreateProcessSpec(ResourceRuntime runtime) => null;

    public override async Task OnStartedAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        var database = (PostgresDatabaseResource)runtime.Resource;
        // The server's port opens before it accepts sessions ("the database system is starting up"): retry briefly.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await CreateIfMissingAsync(database, deadline.Token);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && !deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
        }
    }

    public override Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken) =>
        PostgresProbe.AcceptsSessionsAsync(((PostgresDatabaseResource)runtime.Resource).GetConnectionString(), cancellationToken);

    private static async Task CreateIfMissingAsync(PostgresDatabaseResource database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(database.Server.GetConnectionString() + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database.DatabaseName } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // Identifiers cannot be parameters; resource names are validated to [a-z0-9-], quoted here.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
