using Npgsql;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// Whether a PostgreSQL server accepts sessions, asked in its own protocol: an open port alone can belong to another
/// server, and PostgreSQL listens before it accepts sessions ("the database system is starting up").
/// </summary>
public static class PostgresProbe
{
    public static async Task<bool> AcceptsSessionsAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }
}
