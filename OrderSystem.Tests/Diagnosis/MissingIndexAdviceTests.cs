using System.Text.Json;
using Npgsql;
using OrderSystem.Tests.Infrastructure;
using Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>
/// A slow PostgreSQL statement's finding names the missing index from the statement's generic plan, asked of a real
/// PostgreSQL as a role that can read and not write; with the index there, or with the database out of reach, the
/// finding has no advice and the diagnosis still answers.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MissingIndexAdviceTests : IAsyncLifetime
{
    private const string Database = "shop";
    private const string Reader = "diagnostics_reader";
    // As EF Core writes it (named parameters), and as Npgsql writes its own commands (positional).
    private const string Lookup = "SELECT i.sku, i.name, i.available FROM inventory_items AS i WHERE i.sku = ANY (@__skus_0)";
    private const string Decrement = "UPDATE inventory_items SET available = available - $1 WHERE sku = $2";
    private const int Rows = 20_000;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private PostgresServer _postgres = null!;
    private NpgsqlDataSource _owner = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync(Token);
        _owner = NpgsqlDataSource.Create(await _postgres.CreateDatabaseAsync(Database, Token));
        await ExecuteAsync(
            $"""
            CREATE TABLE inventory_items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sku text NOT NULL, name text NOT NULL, available int NOT NULL);
            INSERT INTO inventory_items (sku, name, available) SELECT 'SKU-' || n, 'item ' || n, 100 FROM generate_series(1, {Rows}) AS n;
            ANALYZE inventory_items;
            CREATE ROLE {Reader} LOGIN;
            GRANT pg_read_all_data TO {Reader};
            """);
    }

    public async ValueTask DisposeAsync()
    {
        await _owner.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task A_slow_lookup_and_update_on_a_large_table_without_an_index_name_the_index_with_the_plan_and_stop_once_it_exists()
    {
        await using var dashboard = await DiagnosisServer.StartAsync(
            ("ConnectionStrings:shopdb-reader", ReaderConnectionString(_postgres.Port)),
            ("Diagnostics:Plans:WaitTimeout", "00:00:20"),
            ("Diagnostics:Plans:CacheDuration", "00:00:00.100"));
        var slow = ReceiveBaselinesThenSlowTrace(dashboard);

        var diagnosis = await dashboard.DiagnoseAsync(slow.Trace);

        foreach (var (span, statement) in new[] { (slow.Lookup, "inventory_items AS i WHERE i.sku = ANY"), (slow.Decrement, "UPDATE inventory_items SET available") })
        {
            var finding = SlowStatementOf(diagnosis, span);
            Assert.Contains(statement, finding.GetProperty("evidence").GetProperty("statement").GetString(), StringComparison.Ordinal);
            Assert.Equal("CREATE INDEX ON inventory_items (sku)", finding.GetProperty("fix").GetString());
            var advice = finding.GetProperty("advice").GetString()!;
            Assert.Contains($"reads all of inventory_items (about {Rows:N0} rows, the planner's estimate) with a sequential scan", advice, StringComparison.Ordinal);
            Assert.Contains("Create one on (sku)", advice, StringComparison.Ordinal);
            Assert.Contains("Seq Scan on inventory_items", finding.GetProperty("evidence").GetProperty("plan").GetString(), StringComparison.Ordinal);
        }

        // The role that planned them may not run the update.
        await using (var reader = new NpgsqlConnection(ReaderConnectionString(_postgres.Port)))
        {
            await reader.OpenAsync(Token);
            await using var write = new NpgsqlCommand("UPDATE inventory_items SET available = 0 WHERE sku = 'SKU-1'", reader);
            var denied = await Assert.ThrowsAsync<PostgresException>(() => write.ExecuteNonQueryAsync(Token));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        }

        // With the index the plans use it: the statements are still slow in this trace, but no index is missing.
        await ExecuteAsync("CREATE INDEX ON inventory_items (sku)");
        // Plans are cached briefly (100 ms here), so the next diagnoses may still show the old ones.
        var fixedDiagnosis = await Eventually.WaitForValueAsync(
            async () => await dashboard.DiagnoseAsync(slow.Trace) is var found && !new[] { slow.Lookup, slow.Decrement }.Any(span => SlowStatementOf(found, span).TryGetProperty("fix", out _)) ? found : (JsonElement?)null,
            Deadline,
            "the findings without the index advice once the index exists");
        Assert.All(
            new[] { slow.Lookup, slow.Decrement }.Select(span => SlowStatementOf(fixedDiagnosis, span)),
            finding => Assert.False(finding.TryGetProperty("advice", out _) || finding.GetProperty("evidence").TryGetProperty("plan", out _), $"advice with the index in place: {finding}"));
    }

    [Fact]
    public async Task With_the_database_out_of_reach_the_slow_statement_is_reported_without_advice()
    {
        await using var dashboard = await DiagnosisServer.StartAsync(
            ("ConnectionStrings:shopdb-reader", ReaderConnectionString(PortAllocator.AllocateFreePort())),
            ("Diagnostics:Plans:WaitTimeout", "00:00:20"));
        var slow = ReceiveBaselinesThenSlowTrace(dashboard);

        var finding = SlowStatementOf(await dashboard.DiagnoseAsync(slow.Trace), slow.Lookup);

        Assert.False(finding.TryGetProperty("advice", out _));
        Assert.False(finding.TryGetProperty("fix", out _));
    }

    private sealed record SlowTrace(SyntheticTrace Trace, string Lookup, string Decrement);

    /// <summary>Six fast executions of each statement (the baseline), then a trace where both take 400 ms.</summary>
    private static SlowTrace ReceiveBaselinesThenSlowTrace(DiagnosisServer dashboard)
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-2);
        for (var i = 0; i < 6; i++)
        {
            dashboard.Receive(Deduct(start.AddSeconds(i), durationMs: 2).Trace);
        }

        var slow = Deduct(start.AddSeconds(10), durationMs: 400);
        dashboard.Receive(slow.Trace);
        return slow;
    }

    private static SlowTrace Deduct(DateTimeOffset start, double durationMs)
    {
        var trace = new SyntheticTrace(start);
        var deduct = trace.Add("inventory", "ordersystem.inventory.v1.InventoryService/Deduct", Kind.Server, 0, 5 + (2 * durationMs), null, ("rpc.system", "grpc"));
        var lookup = trace.Add("inventory", $"SELECT {Database}", Kind.Client, 1, durationMs, deduct, Postgres(Lookup));
        var decrement = trace.Add("inventory", $"UPDATE {Database}", Kind.Client, 2 + durationMs, durationMs, deduct, Postgres(Decrement));
        return new SlowTrace(trace, SyntheticTrace.IdOf(lookup), SyntheticTrace.IdOf(decrement));
    }

    /// <summary>A span as Npgsql records a command (current semantic conventions).</summary>
    private static (string Key, object Value)[] Postgres(string statement) =>
        [("db.system.name", "postgresql"), ("db.namespace", Database), ("db.query.text", statement), ("server.address", "127.0.0.1")];

    private static string ReaderConnectionString(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = Reader,
        Database = Database,
        Timeout = 3,
    }.ConnectionString;

    private static JsonElement SlowStatementOf(JsonElement diagnosis, string span) =>
        Assert.Single(DiagnosisServer.Findings(diagnosis, "slow-statement"), finding => DiagnosisServer.SpanIds(finding).Contains(span));

    private async Task ExecuteAsync(string sql)
    {
        await using var command = _owner.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }
}
