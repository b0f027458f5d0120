using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OrderSystem.Diagnostics.Diagnosis;
using OrderSystem.ServiceDefaults.Faults;
using Grpc.Core;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using static OrderSystem.Tests.Faults.FaultHarness;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>
/// Faults switched through the dashboard's API on the real topology, observed where a person would: in the traces.
/// Every test switches its fault off again and waits until the service no longer acts on it.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FaultScenarioTests(TopologyFixture fixture) : FaultScenarioTest(fixture)
{

    [Fact]
    public async Task The_api_lists_every_known_fault_and_rejects_unknown_names_and_bad_bodies()
    {
        using var list = await Faults.Dashboard.GetAsync("/api/faults", Token);
        var faults = JsonDocument.Parse(await list.Content.ReadAsStringAsync(Token)).RootElement;
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(KnownFaults.All.Select(f => f.Name), faults.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.All(faults.EnumerateArray(), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("description").GetString())));

        using var unknown = await Faults.Dashboard.PutAsync("/api/faults/no-such-fault", Json("""{"enabled":true}"""), Token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var bad = await Faults.Dashboard.PutAsync($"/api/faults/{KnownFaults.ProductsNPlusOne}", Json("{}"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Products_n_plus_one_runs_a_query_per_product_and_the_diagnosis_names_the_repeated_statement()
    {
        using var gateway = Application.CreateHttpClient("gateway");
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Application.ApiKey);
        // Every request must reach Inventory, not the Gateway's output cache.
        gateway.DefaultRequestHeaders.CacheControl = new CacheControlHeaderValue { NoCache = true };
        List<ProductsPage> withFault = [];
        List<ProductsPage> withoutFault = [];
        await Faults.SetAsync(KnownFaults.ProductsNPlusOne, enabled: true);
        try
        {
            for (var request = 0; request < 5; request++)
            {
                withFault.Add(await ListProductsUntilAsync(gateway, faultActed: true));
            }
        }
        finally
        {
            await Faults.SetAsync(KnownFaults.ProductsNPlusOne, enabled: false);
            withoutFault.Add(await ListProductsUntilAsync(gateway, faultActed: false));
        }

        for (var request = 1; request < 5; request++)
        {
            withoutFault.Add(await ListProductsUntilAsync(gateway, faultActed: false));
        }

        var page = withFault[^1];
        Assert.True(page.Products > 1, $"the catalogue page has {page.Products} products");
        Assert.True(page.PostgresSpans >= withoutFault[^1].PostgresSpans + page.Products, $"{page.PostgresSpans} PostgreSQL spans under ListProducts with the fault, {withoutFault[^1].PostgresSpans} without, for {page.Products} products");

        // The diagnosis names the repeated statement, its count, and exactly the spans that ran it.
        var finding = Assert.Single(Findings(await Faults.DiagnoseTraceAsync(page.TraceId), "n-plus-one"));
        var evidence = finding.GetProperty("evidence");
        Assert.Equal(CategoryRead, evidence.GetProperty("statement").GetString());
        Assert.Equal(page.Products, evidence.GetProperty("count").GetInt32());
        var trace = await Faults.WaitForTraceAsync(page.TraceId, _ => true, "the n+1 trace");
        var categoryReads = Spans(trace).Where(span => IsPostgres(span) && Normalized(Statement(span)) == CategoryRead)
            .Select(span => span.GetProperty("spanID").GetString()).ToHashSet();
        Assert.Equal(categoryReads, evidence.GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()).ToHashSet());

        // The advice names the parent span, the statement and its count, and how to batch it.
        var parent = Spans(trace).Single(span => span.GetProperty("spanID").GetString() == ParentOf(Spans(trace).First(span => categoryReads.Contains(span.GetProperty("spanID").GetString()))));
        var advice = finding.GetProperty("advice").GetString()!;
        Assert.StartsWith($"inventory: {parent.GetProperty("operationName").GetString()} runs `{CategoryRead}` once per item, {page.Products} times", advice, StringComparison.Ordinal);
        Assert.Contains("`c.id = ANY($1)`", advice, StringComparison.Ordinal);
        Assert.Contains("Include", advice, StringComparison.Ordinal);

        // Off: no finding, and the request's latency returns (median of five, server side).
        foreach (var fixedPage in withoutFault.TakeLast(2))
        {
            Assert.Empty(Findings(await Faults.DiagnoseTraceAsync(fixedPage.TraceId), "n-plus-one"));
        }

        Assert.True(Median(withoutFault) < Median(withFault), $"ListProducts median {Median(withoutFault)} µs without the fault, {Median(withFault)} µs with it");

        static long Median(List<ProductsPage> pages) => pages.Select(p => p.DurationMicros).Order().ElementAt(pages.Count / 2);
    }

    [Fact]
    public async Task Inventory_cache_off_makes_every_check_miss_and_the_diagnosis_reports_the_miss_ratio()
    {
        var skus = await Inventory.CreateSkusAsync(10, 10, 10, 10, 10, 10, 10, 10, 10, 10);
        JsonElement missed;
        await Faults.SetAsync(KnownFaults.InventoryCacheOff, enabled: true);
        try
        {
            await Eventually.WaitUntilAsync(async () => HasFaultEvent((await Faults.CheckAvailabilityAsync(Inventory.Client, skus[0])).Span, KnownFaults.InventoryCacheOff), Deadline, "CheckAvailability to skip the cache");
            // A check made before Inventory saw the switch may have cached the SKU: start from a cold entry.
            await Inventory.Redis.KeyDeleteAsync(InventoryHarness.CacheKey(skus[0]));
            for (var check = 0; check < 3; check++)
            {
                var (_, span) = await Faults.CheckAvailabilityAsync(Inventory.Client, skus[0]);
                Assert.Equal(("false", KnownFaults.InventoryCacheOff), (Tag(span, "inventory.cache_hit"), Tag(span, FaultTelemetry.ActiveAttribute)));
            }

            Assert.False(await Inventory.IsCachedAsync(skus[0]));
            var (traceId, check10) = await Faults.CheckAvailabilityAsync(Inventory.Client, skus);
            missed = await Faults.DiagnoseTraceAsync(traceId);
            var finding = Assert.Single(Findings(missed, "cache-miss"));
            Assert.Equal(skus.Length, finding.GetProperty("evidence").GetProperty("count").GetInt32());
            Assert.Contains(check10.GetProperty("spanID").GetString(), finding.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()));
        }
        finally
        {
            await Faults.SetAsync(KnownFaults.InventoryCacheOff, enabled: false);
        }

        // Off again: the first check refills the cache, the next ones hit it, and no time goes to PostgreSQL.
        await Eventually.WaitUntilAsync(async () => Tag((await Faults.CheckAvailabilityAsync(Inventory.Client, skus[0])).Span, "inventory.cache_hit") == "true", Deadline, "CheckAvailability to hit the cache again");
        await Faults.CheckAvailabilityAsync(Inventory.Client, skus);
        var (fixedTraceId, _) = await Faults.CheckAvailabilityAsync(Inventory.Client, skus);
        var hit = await Faults.DiagnoseTraceAsync(fixedTraceId);
        Assert.Empty(Findings(hit, "cache-miss"));
        Assert.True(DatabaseTimeMs(missed) > 0, "the checks without the cache read PostgreSQL");
        Assert.Equal(0, DatabaseTimeMs(hit));

        static double DatabaseTimeMs(JsonElement diagnosis) => diagnosis.GetProperty("timeByKind").EnumerateArray()
            .Where(kind => kind.GetProperty("name").GetString() == "database").Sum(kind => kind.GetProperty("selfTimeMs").GetDouble());
    }

    [Fact]
    public async Task Inventory_unordered_locks_deadlock_opposite_order_deducts_and_the_diagnosis_names_the_deadlock()
    {
        const int MaxRounds = 15;
        var skus = await Inventory.CreateSkusAsync([.. Enumerable.Repeat(1000, 8)]);
        Deduct? aborted = null;
        await Faults.SetAsync(KnownFaults.InventoryUnorderedLocks, enabled: true);
        try
        {
            await Eventually.WaitUntilAsync(async () => await DeductActedAsync(skus[0]), Deadline, "Deduct to lock in request order");
            for (var round = 0; round < MaxRounds && aborted is null; round++)
            {
                aborted = (await OppositeOrderDeductsAsync(skus)).FirstOrDefault(deduct => deduct.Status == StatusCode.Aborted);
            }
        }
        finally
        {
            await Faults.SetAsync(KnownFaults.InventoryUnorderedLocks, enabled: false);
            await Eventually.WaitUntilAsync(async () => !await DeductActedAsync(skus[0]), Deadline, "Deduct to lock in SKU order again");
        }

        Assert.True(aborted is not null, $"no deadlock (ABORTED) in {MaxRounds} rounds of opposite-order deducts with the fault on");
        var deadlocked = await DeductSpanAsync(aborted.TraceId);
        // ABORTED does not mark a gRPC server span as failed (only a caller's span would be), so the finding is a warning here.
        // The statement that locked first may be exported after the victim's: wait until the trace has both.
        // What the diagnosis said last goes into a timeout's message: which statement it took for the victim's, and why.
        JsonElement? lastFinding = null;
        var finding = await Eventually.WaitForValueAsync(
            async () =>
            {
                var deadlock = Assert.Single(
                    Findings(await Faults.DiagnoseTraceAsync(aborted.TraceId), "lock-contention"),
                    finding => finding.GetProperty("title").GetString() == "Deadlock (40P01)");
                lastFinding = deadlock.Clone();
                return deadlock.GetProperty("advice").GetString()!.StartsWith("This transaction locked rows with", StringComparison.Ordinal) ? deadlock : (JsonElement?)null;
            },
            Deadline,
            "the deadlock's finding with the statement that locked first",
            explain: async () =>
            {
                // Which spans the diagnosis had: the statement that locked first is a sibling of the victim that ended before it.
                var spans = Spans(await Faults.WaitForTraceAsync(aborted.TraceId, _ => true, "the deadlocked Deduct")).Select(span =>
                    $"{SpanId(span)} < {ParentOf(span)} {span.GetProperty("operationName").GetString()} [{span.GetProperty("startTime").GetInt64()} +{span.GetProperty("duration").GetInt64()} µs] {Statement(span)}");
                return $"trace {aborted.TraceId}, last finding: {lastFinding}; spans: {string.Join(" | ", spans)}";
            });

        Assert.StartsWith("SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE", finding.GetProperty("evidence").GetProperty("statement").GetString(), StringComparison.Ordinal);

        // Both statements in the order the transaction ran them (the row it held, the row it waited for), and the one order to lock in.
        var advice = finding.GetProperty("advice").GetString()!;
        Assert.StartsWith("This transaction locked rows with `SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE` and was then waiting for a row at `SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE`", advice, StringComparison.Ordinal);
        Assert.Contains("`SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku FOR UPDATE`", advice, StringComparison.Ordinal);
        var trace = await Faults.WaitForTraceAsync(aborted.TraceId, _ => true, "the deadlocked Deduct");
        var evidence = finding.GetProperty("evidence").GetProperty("spanIds").EnumerateArray().Select(id => id.GetString()).ToArray();
        Assert.NotEmpty(evidence);
        Assert.All(evidence, id => Assert.True(IsPostgres(Spans(trace).Single(span => span.GetProperty("spanID").GetString() == id)), $"evidence span {id} is a PostgreSQL call"));

        // Off: the same opposite-order deducts all succeed, with no lock finding and without waiting out the deadlock detector.
        for (var round = 0; round < 3; round++)
        {
            var deducts = await OppositeOrderDeductsAsync(skus);
            Assert.All(deducts, deduct => Assert.Equal(StatusCode.OK, deduct.Status));
            if (round == 2)
            {
                foreach (var deduct in deducts)
                {
                    var duration = (await DeductSpanAsync(deduct.TraceId)).GetProperty("duration").GetInt64();
                    Assert.Empty(Findings(await Faults.DiagnoseTraceAsync(deduct.TraceId), "lock-contention"));
                    Assert.True(duration < deadlocked.GetProperty("duration").GetInt64(), $"Deduct took {duration} µs with ordered locks, {deadlocked.GetProperty("duration").GetInt64()} µs when it deadlocked");
                }
            }
        }
    }

    [Fact]
    public async Task Payments_slow_provider_slows_orders_and_the_diagnosis_puts_the_provider_on_the_critical_path()
    {
        const double ExtraLatencyMs = 1500;
        using var payments = Application.CreateHttpClient("payments");
        using var orders = new TopologyOrders(Application);
        var lines = await orders.PickInStockSkusAsync(1);
        JsonElement slow;
        JsonElement slowOrder;
        await Faults.SetAsync(KnownFaults.PaymentsSlowProvider, enabled: true, new Dictionary<string, double> { [KnownFaults.ExtraLatencyMsParameter] = ExtraLatencyMs });
        try
        {
            slow = await Eventually.WaitForValueAsync(
                async () => await ChargeAsync(payments) is var span && HasFaultEvent(span, KnownFaults.PaymentsSlowProvider) ? span : (JsonElement?)null,
                Deadline,
                "a provider call with the slow-provider fault");
            slowOrder = await PlaceAndDiagnoseAsync(orders, lines);
        }
        finally
        {
            await Faults.SetAsync(KnownFaults.PaymentsSlowProvider, enabled: false);
            await Eventually.WaitUntilAsync(async () => !HasFaultEvent(await ChargeAsync(payments), KnownFaults.PaymentsSlowProvider), Deadline, "provider calls without the fault");
        }

        Assert.Equal(KnownFaults.PaymentsSlowProvider, Tag(slow, FaultTelemetry.ActiveAttribute));
        Assert.True(slow.GetProperty("duration").GetInt64() >= ExtraLatencyMs * 1000, $"the provider's server span took {slow.GetProperty("duration").GetInt64()} µs");

        // The order's critical path spends the extra latency in the provider, and Payments is where the time went.
        var heaviest = HeaviestStep(slowOrder);
        Assert.Equal(("payments", "POST /provider/charges"), (heaviest.GetProperty("service").GetString(), heaviest.GetProperty("operation").GetString()));
        Assert.True(heaviest.GetProperty("selfTimeMs").GetDouble() >= ExtraLatencyMs, $"the provider's step on the critical path: {heaviest}");
        Assert.Equal("payments", slowOrder.GetProperty("timeByService")[0].GetProperty("name").GetString());

        // Off: the next order is back to normal, and the provider no longer dominates its critical path.
        var fixedOrder = await PlaceAndDiagnoseAsync(orders, lines);
        Assert.True(
            fixedOrder.GetProperty("durationMs").GetDouble() < slowOrder.GetProperty("durationMs").GetDouble() - ExtraLatencyMs / 2,
            $"the order took {fixedOrder.GetProperty("durationMs").GetDouble()} ms without the fault, {slowOrder.GetProperty("durationMs").GetDouble()} ms with it");
        Assert.True(HeaviestStep(fixedOrder).GetProperty("selfTimeMs").GetDouble() < ExtraLatencyMs, $"the heaviest step without the fault: {HeaviestStep(fixedOrder)}");

        static JsonElement HeaviestStep(JsonElement diagnosis) =>
            diagnosis.GetProperty("criticalPath").EnumerateArray().MaxBy(step => step.GetProperty("selfTimeMs").GetDouble());
    }

    // The query EF Core sends per product with the n+1 fault on, as the diagnosis normalises it.
    private const string CategoryRead = "SELECT c.name FROM categories AS c WHERE c.id = ? LIMIT ?";

    private static string? Normalized(string? statement) => statement is null ? null : new StatementNormalizer().Normalize(statement);

    private static StringContent Json(string body) => new(body, new MediaTypeHeaderValue("application/json"));

    /// <summary>One <c>GET /api/products</c> as its trace shows it: the PostgreSQL spans under ListProducts, the page size and the server span's duration.</summary>
    private sealed record ProductsPage(string TraceId, int PostgresSpans, int Products, long DurationMicros);

    /// <summary>Lists products until the trace shows the fault acted (or not).</summary>
    private async Task<ProductsPage> ListProductsUntilAsync(HttpClient gateway, bool faultActed) =>
        await Eventually.WaitForAsync(
            async () =>
            {
                using var response = await gateway.GetAsync("/api/products", Token);
                response.EnsureSuccessStatusCode();
                var products = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Token)).RootElement.GetProperty("products").GetArrayLength();
                var traceId = response.Headers.GetValues("traceresponse").Single().Split('-')[1];
                var trace = await Faults.WaitForTraceAsync(traceId, trace => ListProductsSpan(trace) is not null, "the ListProducts server span");
                var server = ListProductsSpan(trace)!.Value;
                return HasFaultEvent(server, KnownFaults.ProductsNPlusOne) == faultActed
                    ? new ProductsPage(traceId, Descendants(trace, server).Count(IsPostgres), products, server.GetProperty("duration").GetInt64())
                    : null;
            },
            Deadline,
            $"GET /api/products {(faultActed ? "with" : "without")} the n+1 fault");

    private static JsonElement? ListProductsSpan(JsonElement trace) => Spans(trace)
        .Where(span => Tag(span, "rpc.method") == "ordersystem.inventory.v1.InventoryService/ListProducts" && Tag(span, "span.kind") == "server")
        .Select(span => (JsonElement?)span)
        .FirstOrDefault();

    /// <summary>Places an order and diagnoses its trace once its spans from the Gateway's root down to the provider's server span are in.</summary>
    private async Task<JsonElement> PlaceAndDiagnoseAsync(TopologyOrders orders, IReadOnlyList<(string Sku, int Quantity)> lines)
    {
        var (_, traceId) = await orders.PlaceAsync(lines);
        await Faults.WaitForTraceAsync(
            traceId,
            trace => IsConnected(trace) && Spans(trace).Any(IsProviderServerSpan) && Spans(trace).Any(span => span.GetProperty("operationName").GetString() == "POST /api/orders" && Tag(span, "span.kind") == "server"),
            "the order's spans from the Gateway down to the provider");
        return await Faults.DiagnoseTraceAsync(traceId);
    }

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
        var trace = await Faults.WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsProviderServerSpan), "the provider's server span");
        return Spans(trace).First(IsProviderServerSpan);
    }

    private static bool IsProviderServerSpan(JsonElement span) =>
        Tag(span, "span.kind") == "server" && span.GetProperty("operationName").GetString() == "POST /provider/charges";

    /// <summary>Deducts one unit in a trace of its own and tells whether the fault acted in it.</summary>
    private async Task<bool> DeductActedAsync(string sku)
    {
        var (traceId, headers) = NewTrace();
        await Inventory.Client.DeductAsync(InventoryHarness.Change(Guid.NewGuid(), (sku, 1)), headers, cancellationToken: Token);
        var trace = await Faults.WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsDeductServer), "the Deduct server span");
        return TraceHasFaultEvent(trace, KnownFaults.InventoryUnorderedLocks);
    }

    private sealed record Deduct(string TraceId, StatusCode Status);

    /// <summary>
    /// Pairs of orders, each pair taking two SKUs of its own in opposite orders, all at once and each in a trace of its
    /// own. A pair's SKUs are its own because with a third transaction on the same rows PostgreSQL may abort one that
    /// was only queued for its first row, and its trace then shows no lock it held.
    /// </summary>
    private async Task<Deduct[]> OppositeOrderDeductsAsync(string[] skus)
    {
        var deducts = await Task.WhenAll(Enumerable.Range(0, skus.Length).Select(async index =>
        {
            var pair = index / 2 * 2;
            var (first, second) = (skus[pair], skus[pair + 1]);
            (string, int)[] lines = index % 2 == 0 ? [(first, 1), (second, 1)] : [(second, 1), (first, 1)];
            var (traceId, headers) = NewTrace();
            try
            {
                await Inventory.Client.DeductAsync(InventoryHarness.Change(Guid.NewGuid(), lines), headers, cancellationToken: Token);
                return new Deduct(traceId, StatusCode.OK);
            }
            catch (RpcException exception)
            {
                return new Deduct(traceId, exception.StatusCode);
            }
        }));
        Assert.All(deducts, deduct => Assert.Contains(deduct.Status, new[] { StatusCode.OK, StatusCode.Aborted }));
        return deducts;
    }

    private async Task<JsonElement> DeductSpanAsync(string traceId)
    {
        var trace = await Faults.WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsDeductServer), "the Deduct server span");
        return Spans(trace).First(IsDeductServer);
    }

    private static bool IsDeductServer(JsonElement span) => Tag(span, "rpc.method") == "ordersystem.inventory.v1.InventoryService/Deduct" && Tag(span, "span.kind") == "server";
}
