using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>
/// Asks PostgreSQL for a statement's generic plan without running it: inside a read-only transaction that is rolled
/// back, <c>SET plan_cache_mode = force_generic_plan</c>, <c>PREPARE</c> and <c>EXPLAIN EXECUTE</c> with NULL for every
/// parameter (PostgreSQL 15 has no <c>EXPLAIN (GENERIC_PLAN)</c>). Never ANALYZE: nothing is executed.
/// </summary>
public sealed class StatementExplainer(ReaderDataSources dataSources, IOptions<PlanOptions> options)
{
    private const string PreparedName = "ordersystem_diagnosis_plan";

    /// <summary>The plan, or null when the statement is not one this plans or the database is not one it may read.</summary>
    public async Task<QueryPlan?> ExplainAsync(string database, string statement, CancellationToken cancellationToken)
    {
        if (dataSources.For(database) is not { } dataSource || PlannableStatement.From(statement) is not { } plannable)
        {
            return null;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "BEGIN READ ONLY", cancellationToken);
        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture, $"SET LOCAL statement_timeout = {(long)options.Value.ExplainTimeout.TotalMilliseconds}"), cancellationToken);
        await ExecuteAsync(connection, "SET LOCAL plan_cache_mode = force_generic_plan", cancellationToken);
        await ExecuteAsync(connection, $"PREPARE {PreparedName} AS {plannable.Sql}", cancellationToken);

        var execute = plannable.ExecuteWithNulls(PreparedName);
        var text = string.Join('\n', await ReadColumnAsync(connection, $"EXPLAIN {execute}", cancellationToken));
        var json = (await ReadColumnAsync(connection, $"EXPLAIN (FORMAT JSON, VERBOSE) {execute}", cancellationToken)).Single();
        List<SequentialScan> scans = [];
        foreach (var scan in JsonPlan.FilteredScans(json))
        {
            var table = $"{SequentialScan.QuoteIdentifier(scan.Schema)}.{SequentialScan.QuoteIdentifier(scan.Table)}";
            var rows = JsonPlan.PlanRows((await ReadColumnAsync(connection, $"EXPLAIN (FORMAT JSON) SELECT FROM {table}", cancellationToken)).Single());
            scans.Add(scan with { TableRows = rows });
        }

        // The session ends with the connection (no pooling), taking the prepared statement with it.
        await ExecuteAsync(connection, "ROLLBACK", cancellationToken);
        return new QueryPlan(text, scans);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<string>> ReadColumnAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }
}
