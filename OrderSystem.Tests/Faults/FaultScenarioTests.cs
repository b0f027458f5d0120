using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderSystem.ServiceDefaults.Faults;
using OrderSystem.ServiceDefaults.Grpc;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using static OrderSystem.Tests.Faults.FaultHarness;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// Faults switched through the dashboard's API on the real topology, observed where a person would: in the traces.
/// Every test switches its fault off again and waits until the service no longer acts on it.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class FaultScenarioTests(TopologyFixture fixture) : IAsyncLifetime
{
    private readonly FaultHarness _faults = new(fixture.Application);
    private readonly InventoryHarness _inventory = new(fixture.Application);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _faults.Dispose();
        await _inventory.DisposeAsync();
    }

    [Fact]
    public async Task The_api_lists_every_known_fault_and_rejects_unknown_names_and_bad_bodies()
    {
        using var list = await _faults.Dashboard.GetAsync("/api/faults", Token);
        var faults = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Token)).RootElement;
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(KnownFaults.All.Select(f => f.Name), faults.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.All(faults.EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("description").GetString())));

        using var unknown = await _faults.Dashboard.PutAsync("/api/faults/no-such-fault", Json("""{"enabled":true}"""), Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var bad = await _faults.Dashboard.PutAsync($"/api/faults/{KnownFaults.ProductsNPlusOne}", Json("{}"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Products_n_plus_one_runs_a_query_per_product_under_ListProducts()
    {
        using var gateway = fixture.Application.CreateHttpClient("gateway");
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Application.Endpoints.ApiKey);
        int withFault;
        int withoutFault;
        int products;
        await _faults.SetAsync(KnownFaults.ProductsNPlusOne, enabled: true);
        try
        {
            (withFault, products) = await ListProductsUntilAsync(gateway, faultActed: true);
        }
        finally
        {
            await _faults.SetAsync(KnownFaults.ProductsNPlusOne, enabled: false);
            (withoutFault, _) = await ListProductsUntilAsync(gateway, faultActed: false);
        }

        Assert.True(products > 1, $"the catalogue page has {products} products");
        Assert.True(withFault >= withoutFault + products, $"{withFault} PostgreSQL spans under ListProducts with the fault, {withoutFault} without, for {products} products");
    }

    [Fact]
    public async Task Inventory_cache_off_makes_every_check_miss_and_read_postgres()
    {
        var skus = await _inventory.CreateSkusAsync(10);
        await _faults.SetAsync(KnownFaults.InventoryCacheOff, enabled: true);
        try
        {
            await Eventually.WaitUntilAsync(async () => HasFaultEvent(await _faults.CheckAvailabilityAsync(_inventory.Client, skus[0]), KnownFaults.InventoryCacheOff), Deadline, "CheckAvailability to skip the cache");
            // A check made before Inventory saw the switch may have cached the SKU: start from a cold entry.
            await _inventory.Redis.DeleteAsync(InventoryHarness.CacheKey(skus[0]), Token);
            for (var check = 0; check < 3; check++)
            {
                var span = await _faults.CheckAvailabilityAsync(_inventory.Client, skus[0]);
                Assert.Equal(("false", KnownFaults.InventoryCacheOff), (Tag(span, "inventory.cache_hit"), Tag(span, FaultTelemetry.ActiveAttribute)));
            }

            Assert.False(await _inventory.IsCachedAsync(skus[0]));
        }
        finally
        {
            await _faults.SetAsync(KnownFaults.InventoryCacheOff, enabled: false);
        }

        // Off again: the first check refills the cache, the next ones hit it.
        await Eventually.WaitUntilAsync(async () => Tag(await _faults.CheckAvailabilityAsync(_inventory.Client, skus[0]), "inventory.cache_hit") == "true", Deadline, "CheckAvailability to hit the cache again");
    }

    [Fact]
    public async Task Inventory_unordered_locks_deadlock_opposite_order_deducts()
    {
        const int MaxRounds = 15;
        var skus = await _inventory.CreateSkusAsync(1000, 1000);
        var aborted = 0;
        await _faults.SetAsync(KnownFaults.InventoryUnorderedLocks, enabled: true);
        try
        {
            await Eventually.WaitUntilAsync(async () => await DeductActedAsync(skus[0]), Deadline, "Deduct to lock in request order");
            for (var round = 0; round < MaxRounds && aborted == 0; round++)
            {
                aborted = await OppositeOrderDeductsAsync(skus);
            }
        }
        finally
        {
            await _faults.SetAsync(KnownFaults.InventoryUnorderedLocks, enabled: false);
            await Eventually.WaitUntilAsync(async () => !await DeductActedAsync(skus[0]), Deadline, "Deduct to lock in SKU order again");
        }

        Assert.True(aborted > 0, $"no deadlock (ABORTED) in {MaxRounds} rounds of opposite-order deducts with the fault on");
        for (var round = 0; round < 3; round++)
        {
            Assert.Equal(0, await OppositeOrderDeductsAsync(skus));
        }
    }

    [Fact]
    public async Task Payments_slow_provider_makes_each_provider_call_take_the_extra_latency()
    {
        const double ExtraLatencyMs = 1500;
        using var payments = fixture.Application.CreateHttpClient("payments");
        JsonElement slow;
        await _faults.SetAsync(KnownFaults.PaymentsSlowProvider, enabled: true, new Dictionary<string, double> { [KnownFaults.ExtraLatencyMsParameter] = ExtraLatencyMs });
        try
        {
            slow = await Eventually.WaitForValueAsync(
                async () => await ChargeAsync(payments) is var span && HasFaultEvent(span, KnownFaults.PaymentsSlowProvider) ? span : (JsonElement?)null,
                Deadline,
                "a provider call with the slow-provider fault");
        }
        finally
        {
            await _faults.SetAsync(KnownFaults.PaymentsSlowProvider, enabled: false);
            await Eventually.WaitUntilAsync(async () => !HasFaultEvent(await ChargeAsync(payments), KnownFaults.PaymentsSlowProvider), Deadline, "provider calls without the fault");
        }

        Assert.Equal(KnownFaults.PaymentsSlowProvider, Tag(slow, FaultTelemetry.ActiveAttribute));
        Assert.True(slow.GetProperty("duration").GetInt64() >= ExtraLatencyMs * 1000, $"the provider's server span took {slow.GetProperty("duration").GetInt64()} µs");
    }

    private static StringContent Json(string body) => new(body, new MediaTypeHeaderValue("application/json"));

    /// <summary>Lists products until the trace shows the fault acted (or not); the PostgreSQL spans under ListProducts and the page size.</summary>
    private async Task<(int PostgresSpans, int Products)> ListProductsUntilAsync(HttpClient gateway, bool faultActed) =>
        await Eventually.WaitForValueAsync<(int, int)>(
            async () =>
            {
                using var response = await gateway.GetAsync("/api/products", Token);
                response.EnsureSuccessStatusCode();
                var products = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("products").GetArrayLength();
                var traceId = response.Headers.GetValues("traceresponse").Single().Split('-')[1];
                var trace = await _faults.WaitForTraceAsync(traceId, trace => ListProductsSpan(trace) is not null, "the ListProducts server span");
                var server = ListProductsSpan(trace)!.Value;
                return HasFaultEvent(server, KnownFaults.ProductsNPlusOne) == faultActed
                    ? ((int, int)?)(Descendants(trace, server).Count(IsPostgres), products)
                    : null;
            },
            Deadline,
            $"GET /api/products {(faultActed ? "with" : "without")} the n+1 fault");

    private static JsonElement? ListProductsSpan(JsonElement trace) => Spans(trace)
        .Where(span => Tag(span, "rpc.method") == "ListProducts" && Tag(span, "span.kind") == "server")
        .Select(span => (JsonElement?)span)
        .FirstOrDefault();

    /// <summary>Charges the simulated provider directly in a trace of its own; its server span.</summary>
    private async Task<JsonElement> ChargeAsync(HttpClient payments)
    {
        var (traceId, headers) = NewTrace();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/provider/charges")
        {
            Content = Json("""{"amount":10.00,"currency":"USD","cardNumber":"4242 4242 4242 4242"}"""),
        };
        request.Headers.Add("traceparent", headers.GetValue("traceparent"));
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var response = await payments.SendAsync(request, Token);
        var trace = await _faults.WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsProviderServerSpan), "the provider's server span");
        return Spans(trace).First(IsProviderServerSpan);

        static bool IsProviderServerSpan(JsonElement span) =>
            Tag(span, "span.kind") == "server" && span.GetProperty("operationName").GetString() == "POST /provider/charges";
    }

    /// <summary>Deducts one unit in a trace of its own and tells whether the fault acted in it.</summary>
    private async Task<bool> DeductActedAsync(string sku)
    {
        var (traceId, headers) = NewTrace();
        await _inventory.Client.DeductAsync(InventoryHarness.Change(Guid.NewGuid(), (sku, 1)), new CallOptions(headers), Token);
        var trace = await _faults.WaitForTraceAsync(
            traceId, trace => Spans(trace).Any(span => Tag(span, "rpc.method") == "Deduct" && Tag(span, "span.kind") == "server"), "the Deduct server span");
        return TraceHasFaultEvent(trace, KnownFaults.InventoryUnorderedLocks);
    }

    /// <summary>Pairs of orders taking the same two SKUs in opposite orders at once; how many were ABORTED.</summary>
    private async Task<int> OppositeOrderDeductsAsync(string[] skus)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(async index =>
        {
            (string, int)[] lines = index % 2 == 0 ? [(skus[0], 1), (skus[1], 1)] : [(skus[1], 1), (skus[0], 1)];
            try
            {
                await _inventory.Client.DeductAsync(InventoryHarness.Change(Guid.NewGuid(), lines), cancellationToken: Token);
                return StatusCode.OK;
            }
            catch (RpcException exception)
            {
                return exception.StatusCode;
            }
        }));
        Assert.All(outcomes, status => Assert.Contains(status, new[] { StatusCode.OK, StatusCode.Aborted }));
        return outcomes.Count(status => status == StatusCode.Aborted);
    }
}
