using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OrderSystem.Contracts.Inventory;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;
using static OrderSystem.Tests.Inventory.InventoryHarness;

namespace OrderSystem.Tests.Inventory;

/// <summary>CheckAvailability through the Redis cache on the running topology, and its telemetry in the dashboard.</summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class AvailabilityCacheTests(TopologyFixture fixture) : IAsyncDisposable
{
    // The name Aspire.StackExchange.Redis gives the health check of the unkeyed client.
    private const string CacheCheck = "StackExchange.Redis";

    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExportTimeout = TimeSpan.FromSeconds(30);

    private readonly InventoryHarness _inventory = new(fixture.Topology);
    private readonly HttpClient _dashboard = fixture.Topology.CreateDiagnosticsClient();

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        _dashboard.Dispose();
        await _inventory.DisposeAsync();
    }

    [Fact]
    public async Task A_miss_reads_postgres_and_fills_the_cache_with_a_ttl_then_the_next_check_reads_the_cache()
    {
        var skus = await _inventory.CreateSkusAsync(40);
        Assert.False(await _inventory.IsCachedAsync(skus[0]));

        var first = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 3)), cancellationToken: CancellationToken);

        var item = Assert.Single(first.Items);
        Assert.True(first.AllAvailable);
        Assert.Equal((skus[0], true, 3, 40, "12.50", "Test item " + skus[0]), (item.Sku, item.Known, item.Requested, item.Available, item.UnitPrice, item.Name));
        var ttl = await _inventory.Redis.KeyTimeToLiveAsync(CacheKey(skus[0]));
        Assert.InRange(ttl!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        // Change the stock behind the cache's back: the next answer comes from Redis, not PostgreSQL.
        await _inventory.SetAvailableAsync(skus[0], 2);
        var second = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 3)), cancellationToken: CancellationToken);

        Assert.Equal(40, Assert.Single(second.Items).Available);
        Assert.True(second.AllAvailable);
    }

    [Fact]
    public async Task A_cached_entry_is_what_the_check_answers_and_an_unreadable_one_is_a_miss()
    {
        var skus = await _inventory.CreateSkusAsync(40, 40);
        await _inventory.Redis.StringSetAsync(CacheKey(skus[0]), "v3|7|99.95|Name | with separators", TimeSpan.FromSeconds(30));
        await _inventory.Redis.StringSetAsync(CacheKey(skus[1]), "9|99.95|an entry without a version", TimeSpan.FromSeconds(30));

        var response = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 8), (skus[1], 8)), cancellationToken: CancellationToken);

        Assert.False(response.AllAvailable);
        Assert.Equal((7, "99.95", "Name | with separators"), (response.Items[0].Available, response.Items[0].UnitPrice, response.Items[0].Name));
        Assert.Equal(40, response.Items[1].Available);
        Assert.Equal("v0|40|12.50|Test item " + skus[1], (string?)await _inventory.Redis.StringGetAsync(CacheKey(skus[1])));
    }

    [Fact]
    public async Task Deduct_and_release_write_the_new_stock_through_so_the_next_check_hits_the_cache_with_it()
    {
        var skus = await _inventory.CreateSkusAsync(25);
        var orderId = Guid.NewGuid();
        await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 1)), cancellationToken: CancellationToken);
        Assert.Equal("v0|25|12.50|Test item " + skus[0], await CachedAsync(skus[0]));

        await _inventory.Client.DeductAsync(Change(orderId, (skus[0], 10)), cancellationToken: CancellationToken);

        Assert.Equal("v1|15|12.50|Test item " + skus[0], await CachedAsync(skus[0]));
        var (traceId, afterDeduct) = await CheckInTraceAsync(Check((skus[0], 16)));
        Assert.Equal(15, Assert.Single(afterDeduct.Items).Available);
        Assert.False(afterDeduct.AllAvailable);
        Assert.Equal("true", Tag(await GetSpanAsync(traceId, "CheckAvailability"), "inventory.cache_hit"));

        await _inventory.Client.ReleaseAsync(Change(orderId, (skus[0], 10)), cancellationToken: CancellationToken);

        Assert.Equal("v2|25|12.50|Test item " + skus[0], await CachedAsync(skus[0]));
        var afterRelease = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 16)), cancellationToken: CancellationToken);
        Assert.Equal(25, Assert.Single(afterRelease.Items).Available);
    }

    [Fact]
    public async Task A_write_never_replaces_a_newer_entry()
    {
        var skus = await _inventory.CreateSkusAsync(25);
        const string Newer = "v9|3|12.50|written by a newer change";
        await _inventory.Redis.StringSetAsync(CacheKey(skus[0]), Newer, TimeSpan.FromSeconds(30));

        // The deduct commits version 1 and writes it through, which must lose to the version 9 already there.
        var deduct = await _inventory.Client.DeductAsync(Change(Guid.NewGuid(), (skus[0], 5)), cancellationToken: CancellationToken);

        Assert.True(deduct.Applied);
        Assert.Equal(20, await _inventory.GetAvailableAsync(skus[0]));
        Assert.Equal(Newer, await CachedAsync(skus[0]));
    }

    [Fact]
    public async Task Unknown_skus_are_reported_unknown_and_not_cached()
    {
        var skus = await _inventory.CreateSkusAsync(10);
        var missing = $"TEST-MISSING-{Guid.NewGuid():N}";

        var response = await _inventory.Client.CheckAvailabilityAsync(Check((missing, 1), (skus[0], 1)), cancellationToken: CancellationToken);

        Assert.False(response.AllAvailable);
        Assert.Equal((missing, false, 0, string.Empty), (response.Items[0].Sku, response.Items[0].Known, response.Items[0].Available, response.Items[0].UnitPrice));
        Assert.Equal((skus[0], true, 10), (response.Items[1].Sku, response.Items[1].Known, response.Items[1].Available));
        Assert.False(await _inventory.IsCachedAsync(missing));
    }

    [Fact]
    public async Task The_check_span_records_cache_hits_and_misses_and_the_meter_counts_them()
    {
        var skus = await _inventory.CreateSkusAsync(10, 10);
        var hitsBefore = await GetCacheLookupsAsync("hit");

        var (missTrace, _) = await CheckInTraceAsync(Check((skus[0], 1), (skus[1], 1)));
        var (hitTrace, _) = await CheckInTraceAsync(Check((skus[0], 1), (skus[1], 1)));

        var miss = await GetSpanAsync(missTrace, "CheckAvailability");
        Assert.Equal(("false", "0", "2", "2"), (Tag(miss, "inventory.cache_hit"), Tag(miss, "inventory.cache.hits"), Tag(miss, "inventory.cache.misses"), Tag(miss, "inventory.item_count")));
        Assert.Equal("internal", Tag(miss, "span.kind"));
        var hit = await GetSpanAsync(hitTrace, "CheckAvailability");
        Assert.Equal(("true", "2", "0"), (Tag(hit, "inventory.cache_hit"), Tag(hit, "inventory.cache.hits"), Tag(hit, "inventory.cache.misses")));

        // Under the check: one MGET for both SKUs; on a miss also one query and one scripted fill.
        AssertChildOf(await GetSpanAsync(hitTrace, "MGET"), hit);
        AssertChildOf(await GetSpanAsync(missTrace, "MGET"), miss);
        AssertChildOf(await GetSpanAsync(missTrace, "postgresql"), miss);
        AssertChildOf(await GetSpanAsync(missTrace, "EVAL"), miss);

        await Eventually.WaitUntilAsync(async () => await GetCacheLookupsAsync("hit") >= hitsBefore + 2, ExportTimeout, "inventory.cache.lookups to count the hits");
    }

    [Fact]
    public async Task With_redis_stopped_checks_and_deducts_are_answered_from_postgres()
    {
        var skus = await _inventory.CreateSkusAsync(30);
        var application = fixture.Topology;

        await application.StopResourceAsync("cache", CancellationToken);
        try
        {
            await WaitForCacheCheckAsync("Unhealthy");

            var (traceId, _) = await CheckInTraceAsync(Check((skus[0], 5)));
            var deduct = await _inventory.Client.DeductAsync(Change(Guid.NewGuid(), (skus[0], 5)), cancellationToken: CancellationToken);
            var afterDeduct = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 5)), cancellationToken: CancellationToken);

            Assert.True(deduct.Applied);
            Assert.Equal(25, Assert.Single(afterDeduct.Items).Available);
            Assert.Equal(25, await _inventory.GetAvailableAsync(skus[0]));
            var span = await GetSpanAsync(traceId, "CheckAvailability");
            Assert.Equal("false", Tag(span, "inventory.cache_hit"));
            Assert.Contains(span.GetProperty("logs").EnumerateArray(), log => log.GetProperty("fields").EnumerateArray()
                .Any(field => field.GetProperty("key").GetString() == "event" && field.GetProperty("value").GetString() == "inventory.cache.unavailable"));
        }
        finally
        {
            // Whatever happened above, the next test gets a working cache.
            await application.StartResourceAsync("cache", CancellationToken.None);
            await WaitForCacheCheckAsync("Healthy");
        }

        var afterRestart = await _inventory.Client.CheckAvailabilityAsync(Check((skus[0], 5)), cancellationToken: CancellationToken);
        Assert.Equal(25, Assert.Single(afterRestart.Items).Available);
        Assert.True(await _inventory.IsCachedAsync(skus[0]));
    }

    /// <summary>
    /// Calls CheckAvailability as part of a new sampled trace (the caller's <c>traceparent</c> set by hand: this
    /// process has no OpenTelemetry SDK to propagate one), so the dashboard can be asked for exactly that trace.
    /// </summary>
    private async Task<(string TraceId, CheckAvailabilityResponse Response)> CheckInTraceAsync(CheckAvailabilityRequest request)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } };
        return (traceId, await _inventory.Client.CheckAvailabilityAsync(request, headers, cancellationToken: CancellationToken));
    }

    private async Task<string?> CachedAsync(string sku) => await _inventory.Redis.StringGetAsync(CacheKey(sku));

    private async Task<JsonElement> GetSpanAsync(string traceId, string operation)
    {
        var trace = await _dashboard.WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsOperation), ExportTimeout, $"span {operation}");
        return Spans(trace).First(IsOperation);

        bool IsOperation(JsonElement span) => span.GetProperty("operationName").GetString() == operation;
    }

    private async Task<double> GetCacheLookupsAsync(string result)
    {
        using var document = JsonDocument.Parse(await _dashboard.GetStringAsync("api/metrics/series?service=inventory&name=inventory.cache.lookups", CancellationToken));
        return document.RootElement.GetProperty("data").EnumerateArray()
            .Where(series => series.GetProperty("attributes").EnumerateArray().Any(a => a.GetProperty("key").GetString() == "inventory.cache.result" && a.GetProperty("value").GetString() == result))
            .Select(series => series.GetProperty("points").EnumerateArray().Last().GetProperty("value").GetDouble())
            .Sum();
    }

    private async Task WaitForCacheCheckAsync(string status)
    {
        using var client = fixture.Topology.CreateHttpClient("inventory");
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var response = await client.GetAsync("/health", CancellationToken);
                using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken));
                return report.RootElement.GetProperty("checks").GetProperty(CacheCheck).GetProperty("status").GetString() == status;
            },
            HealthTimeout,
            $"inventory to report {CacheCheck} {status}");
    }

    private static void AssertChildOf(JsonElement span, JsonElement parent) =>
        Assert.Equal(
            parent.GetProperty("spanID").GetString(),
            Assert.Single(span.GetProperty("references").EnumerateArray()).GetProperty("spanID").GetString());

    /// <summary>A tag's value as text: Jaeger's JSON keeps booleans and numbers typed.</summary>
    private static string Tag(JsonElement span, string key)
    {
        var value = span.GetProperty("tags").EnumerateArray().Single(tag => tag.GetProperty("key").GetString() == key).GetProperty("value");
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
