using System.Text.Json;
using OrderSystem.ServiceDefaults.Faults;
using Grpc.Core;
using OrderSystem.Tests.Diagnosis;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using static OrderSystem.Tests.Faults.FaultHarness;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// <see cref="KnownFaults.InventoryMissingIndex"/> on the real topology: with the SKU index dropped from a large
/// <c>inventory_items</c>, a check that misses the cache and a Deduct scan the table, and the dashboard's diagnosis
/// names their statements as slow and, from the lookup's plan, the missing index; with the index back they are fast again.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class MissingIndexScenarioTests(TopologyFixture fixture) : FaultScenarioTest(fixture)
{
    private const string IndexName = "ix_inventory_items_sku";

    /// <summary>
    /// Adding the default two million archived rows takes about 16 s on an idle 2-core machine (only the first time in a
    /// topology), far longer while others build; building the index again takes a few seconds.
    /// </summary>
    private static readonly TimeSpan TableChangeDeadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Inventory_missing_index_makes_lookups_by_sku_scan_and_the_diagnosis_names_the_slow_statements()
    {
        var skus = await Inventory.CreateSkusAsync(1000, 1000);
        Assert.True(await IsIndexValidAsync() is true, $"{IndexName} is not there before the fault");

        // The baseline: lookups by SKU with the index (the dashboard compares with the median of the stored spans).
        for (var round = 0; round < 6; round++)
        {
            await CheckAndDeductAsync(NewTrace().Headers, skus[round % skus.Length]);
        }

        OrderTrace slow;
        JsonElement diagnosis;
        await Faults.SetAsync(KnownFaults.InventoryMissingIndex, enabled: true);
        try
        {
            // The index goes first (checks are marked from then on), then the archived rows arrive in one transaction.
            await Eventually.WaitUntilAsync(
                async () => await IsIndexValidAsync() is null && await CountArchivedRowsAsync() >= KnownFaults.DefaultMissingIndexRows,
                TableChangeDeadline,
                "Inventory to drop the index and grow the table");
            Assert.True(await IsUncachedCheckMarkedAsync(skus[0]), "an uncached check is not marked with the fault");

            slow = await RunOrderTraceAsync(skus[1]);
            // Baselines are recomputed every few seconds, and the plan is asked for in the background, so the finding and
            // its advice may take a moment.
            JsonElement? last = null;
            diagnosis = await Eventually.WaitForValueAsync(
                async () => (last = await Faults.DiagnoseTraceAsync(slow.TraceId)) is { } found && SlowStatementOf(found, slow.Lookup) is { } lookup && lookup.TryGetProperty("fix", out _) ? found : (JsonElement?)null,
                Deadline,
                $"a slow-statement finding with the missing index for the lookup in trace {slow.TraceId}",
                explain: () => Task.FromResult($"the lookup took {slow.LookupMs} ms; the last findings: {last?.GetProperty("findings")}"));
        }
        finally
        {
            await Faults.SetAsync(KnownFaults.InventoryMissingIndex, enabled: false);
            await Eventually.WaitUntilAsync(async () => await IsIndexValidAsync() is true, TableChangeDeadline, $"Inventory to build {IndexName} again");
            await Eventually.WaitUntilAsync(async () => !await IsUncachedCheckMarkedAsync(skus[0]), Deadline, "checks without the fault");
        }

        Assert.Equal(KnownFaults.InventoryMissingIndex, Tag(slow.Check, FaultTelemetry.ActiveAttribute));
        Assert.Equal(KnownFaults.InventoryMissingIndex, Tag(slow.Deduct, FaultTelemetry.ActiveAttribute));
        var lookup = SlowStatementOf(diagnosis, slow.Lookup)!.Value;
        var locks = SlowStatementOf(diagnosis, slow.RowLocks);
        Assert.True(locks is not null, $"no slow-statement finding for the Deduct's row locks: {diagnosis.GetProperty("findings")}");
        var postgresSpans = slow.PostgresSpanIds.ToHashSet();
        Assert.All(Findings(diagnosis, "slow-statement"), finding => Assert.Subset(postgresSpans, DiagnosisServer.SpanIds(finding).ToHashSet()));
        var evidence = lookup.GetProperty("evidence");
        Assert.StartsWith("SELECT i.sku, i.name, i.price, i.available, i.version FROM inventory_items AS i WHERE i.sku = ANY", evidence.GetProperty("statement").GetString(), StringComparison.Ordinal);
        var (slowMs, baselineMs) = (evidence.GetProperty("durationMs").GetDouble(), evidence.GetProperty("baselineMs").GetDouble());

        // The fix, read from the lookup's plan on inventorydb: a sequential scan of the grown table filtered on sku.
        Assert.Equal("CREATE INDEX ON inventory_items (sku)", lookup.GetProperty("fix").GetString());
        Assert.Contains("reads all of inventory_items", lookup.GetProperty("advice").GetString(), StringComparison.Ordinal);
        Assert.Contains("Seq Scan on inventory_items", evidence.GetProperty("plan").GetString(), StringComparison.Ordinal);
        Assert.True(slowMs > Math.Max(5 * baselineMs, baselineMs + 50), $"the lookup took {slowMs} ms against a baseline of {baselineMs} ms");

        // The index is back: the same calls, no slow statement, the lookup near its baseline again.
        var fast = await RunOrderTraceAsync(skus[1]);
        var after = await Faults.DiagnoseTraceAsync(fast.TraceId);
        Assert.Null(SlowStatementOf(after, fast.Lookup));
        Assert.Null(SlowStatementOf(after, fast.RowLocks));
        Assert.Null(Tag(fast.Check, FaultTelemetry.ActiveAttribute));
        Assert.True(fast.LookupMs < slowMs / 3, $"the lookup took {fast.LookupMs} ms with the index, {slowMs} ms without");
    }

    /// <summary>An availability check that misses the cache, then a Deduct, in one trace: what Orders does for an order.</summary>
    private async Task CheckAndDeductAsync(Metadata headers, string sku)
    {
        await Inventory.Redis.KeyDeleteAsync(InventoryHarness.CacheKey(sku));
        await Inventory.Client.CheckAvailabilityAsync(InventoryHarness.Check((sku, 1)), headers, cancellationToken: Token);
        await Inventory.Client.DeductAsync(InventoryHarness.Change(Guid.NewGuid(), (sku, 1)), headers, cancellationToken: Token);
    }

    private async Task<OrderTrace> RunOrderTraceAsync(string sku)
    {
        var (traceId, headers) = NewTrace();
        await CheckAndDeductAsync(headers, sku);
        var trace = await Faults.WaitForTraceAsync(traceId, trace => OrderTrace.TryRead(traceId, trace) is not null, "the check's lookup and the Deduct's row locks");
        return OrderTrace.TryRead(traceId, trace)!;
    }

    private async Task<bool> IsUncachedCheckMarkedAsync(string sku)
    {
        await Inventory.Redis.KeyDeleteAsync(InventoryHarness.CacheKey(sku));
        return HasFaultEvent((await Faults.CheckAvailabilityAsync(Inventory.Client, sku)).Span, KnownFaults.InventoryMissingIndex);
    }

    /// <summary>True when the index exists and is valid, false when INVALID, null when it does not exist.</summary>
    private async Task<bool?> IsIndexValidAsync()
    {
        await using var sql = Inventory.Database.CreateCommand("SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass($1)");
        sql.Parameters.Add(new() { Value = IndexName });
        return (bool?)await sql.ExecuteScalarAsync(Token);
    }

    private async Task<long> CountArchivedRowsAsync()
    {
        await using var sql = Inventory.Database.CreateCommand("SELECT count(*) FROM inventory_items WHERE sku LIKE 'ARCHIVED-%'");
        return (long)(await sql.ExecuteScalarAsync(Token))!;
    }

    /// <summary>The slow-statement finding whose evidence includes <paramref name="span"/>, if any.</summary>
    private static JsonElement? SlowStatementOf(JsonElement diagnosis, string span) =>
        Findings(diagnosis, "slow-statement").Where(finding => DiagnosisServer.SpanIds(finding).Contains(span)).Select(finding => (JsonElement?)finding).FirstOrDefault();

    /// <summary>The spans of one check-and-deduct trace the assertions look at.</summary>
    private sealed record OrderTrace(string TraceId, JsonElement Check, JsonElement Deduct, string Lookup, double LookupMs, string RowLocks, string[] PostgresSpanIds)
    {
        public static OrderTrace? TryRead(string traceId, JsonElement trace)
        {
            var spans = Spans(trace).ToArray();
            var check = spans.Where(span => span.GetProperty("operationName").GetString() == "CheckAvailability").Select(span => (JsonElement?)span).FirstOrDefault();
            var deduct = spans.Where(span => Tag(span, "rpc.method") == "ordersystem.inventory.v1.InventoryService/Deduct" && Tag(span, "span.kind") == "server").Select(span => (JsonElement?)span).FirstOrDefault();
            var postgres = spans.Where(IsPostgres).ToArray();
            var lookup = postgres.Where(span => Statement(span).StartsWith("SELECT i.sku, i.name, i.price, i.available, i.version", StringComparison.Ordinal)).Select(span => (JsonElement?)span).FirstOrDefault();
            var rowLocks = postgres.Where(span => Statement(span).TrimEnd().EndsWith("FOR UPDATE", StringComparison.Ordinal) && Statement(span).Contains("inventory_items", StringComparison.Ordinal)).Select(span => (JsonElement?)span).FirstOrDefault();
            return check is null || deduct is null || lookup is null || rowLocks is null
                ? null
                : new OrderTrace(
                    traceId,
                    check.Value,
                    deduct.Value,
                    Id(lookup.Value),
                    lookup.Value.GetProperty("duration").GetInt64() / 1000.0,
                    Id(rowLocks.Value),
                    [.. postgres.Select(Id)]);
        }

        private static string Statement(JsonElement span) => JaegerTrace.Statement(span) ?? string.Empty;

        private static string Id(JsonElement span) => span.GetProperty("spanID").GetString()!;
    }
}
