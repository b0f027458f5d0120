using System.Text.Json;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.LoadGenerator;

/// <summary>Whole runs of the load generator's command against the fake Gateway.</summary>
[Trait("Category", "Integration")]
public sealed class LoadRunTests
{
    private static readonly string[] Routes =
    [
        "GET /api/products", "POST /api/orders", "GET /api/orders/{id}", "GET /api/orders", "GET /api/orders/{id}/notifications",
    ];

    [Fact]
    public async Task Closed_model_keeps_exactly_the_given_number_of_requests_in_flight()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { Delay = TimeSpan.FromMilliseconds(20) });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--concurrency", "3", "--duration", "1500ms", "--warmup", "0", "--mix", "browse=1");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(3, gateway.MaxConcurrent);
        var result = outcome.Result!.Value;
        Assert.Equal("closed", result.GetProperty("options").GetProperty("model").GetString());
        Assert.Equal(3, result.GetProperty("options").GetProperty("concurrency").GetInt32());
        // 3 users × 1.5 s / ~20 ms: far more than 3, far fewer than an unbounded generator would send.
        Assert.InRange(result.GetProperty("totals").GetProperty("requests").GetInt64(), 45, 3 * 1500 / 20);
    }

    [Fact]
    public async Task Places_orders_reads_them_back_and_counts_declined_cards_as_expected()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { PagedProducts = true });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(
            gateway, "--rate", "60", "--duration", "2s", "--warmup", "0", "--mix", "browse=1,order=2,read=2", "--users", "3", "--declined-rate", "0.3", "--seed", "7");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(0, gateway.Unauthorized);
        var result = outcome.Result!.Value;
        // Every order was valid by the contract (SKUs from both catalogue pages, quantities, test cards, a key).
        Assert.Equal(0, result.GetProperty("totals").GetProperty("errors").GetInt64());
        var orders = Endpoint(result, "POST /api/orders");
        var statusCodes = orders.GetProperty("outcomes");
        Assert.True(statusCodes.GetProperty("201").GetInt64() > 0);
        Assert.True(statusCodes.GetProperty("402").GetInt64() > 0, "30 % of the orders use the declined card");
        Assert.Equal(0, orders.GetProperty("errors").GetInt64());
        // What the generator counted is what the Gateway received, route by route (the catalogue fetch aside).
        foreach (var route in Routes)
        {
            var expected = gateway.CountOf(route) - (route == "GET /api/products" ? 2 : 0);
            Assert.True(expected > 0, route);
            Assert.Equal(expected, Endpoint(result, route).GetProperty("requests").GetInt64());
        }

        // Each created or declined order is read back, and the read scenario opens some more.
        Assert.True(gateway.CountOf("GET /api/orders/{id}") > gateway.CountOf("POST /api/orders"));
        Assert.Equal(3, result.GetProperty("scenarios").GetArrayLength());
    }

    [Fact]
    public async Task Orders_take_only_the_hot_skus_given_and_an_unknown_set_stops_the_run()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { PagedProducts = true });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(
            gateway, "--rate", "50", "--duration", "1s", "--warmup", "0", "--mix", "order=1", "--declined-rate", "0", "--skus", "SKU-0002, SKU-0120,SKU-0003");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(["SKU-0002", "SKU-0003", "SKU-0120"], gateway.OrderedSkus.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["SKU-0002", "SKU-0003", "SKU-0120"], outcome.Result!.Value.GetProperty("options").GetProperty("skus").EnumerateArray().Select(sku => sku.GetString()));

        var unknown = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "10", "--duration", "1s", "--warmup", "0", "--mix", "order=1", "--skus", "NO-SUCH-SKU");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("none of --skus (NO-SUCH-SKU) is in the catalogue", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_errors_by_status_with_the_trace_ids_the_gateway_returned()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { NotificationsStatus = 503 });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(
            gateway, "--rate", "50", "--duration", "2s", "--warmup", "0", "--mix", "order=1,read=3", "--users", "2", "--declined-rate", "0");

        Assert.Equal(0, outcome.ExitCode);
        var result = outcome.Result!.Value;
        var errors = result.GetProperty("errors").EnumerateArray().ToArray();
        var unavailable = Assert.Single(errors);
        Assert.Equal("503", unavailable.GetProperty("outcome").GetString());
        var notifications = gateway.CountOf("GET /api/orders/{id}/notifications");
        Assert.Equal(notifications, unavailable.GetProperty("count").GetInt64());
        Assert.Equal(notifications, unavailable.GetProperty("endpoints").GetProperty("GET /api/orders/{id}/notifications").GetInt64());

        var failed = result.GetProperty("failedTraces").EnumerateArray().ToArray();
        Assert.InRange(failed.Length, 1, 5);
        Assert.All(failed, trace =>
        {
            Assert.Equal("503", trace.GetProperty("outcome").GetString());
            Assert.Equal("GET /api/orders/{id}/notifications", trace.GetProperty("endpoint").GetString());
            Assert.True(gateway.IssuedTraceIds.ContainsKey(trace.GetProperty("traceId").GetString()!));
        });

        var slowest = result.GetProperty("slowestTraces").EnumerateArray().ToArray();
        Assert.Equal(10, slowest.Length);
        Assert.All(slowest, trace => Assert.True(gateway.IssuedTraceIds.ContainsKey(trace.GetProperty("traceId").GetString()!)));
        var latencies = slowest.Select(trace => trace.GetProperty("latencyMs").GetDouble()).ToArray();
        Assert.Equal(latencies.OrderDescending(), latencies);
        Assert.Equal(result.GetProperty("totals").GetProperty("latencyMs").GetProperty("max").GetDouble(), latencies[0]);
        Assert.Contains(failed[0].GetProperty("traceId").GetString()!, outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_model_users_wait_for_retry_after_when_rate_limited()
    {
        // Everything after the catalogue fetch is refused with Retry-After: 1. Two users over 2.5 s can then send
        // at most three requests each; ignoring Retry-After they would send hundreds.
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { RateLimitAfter = 1, RetryAfterSeconds = 1 });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--concurrency", "2", "--duration", "2500ms", "--warmup", "0", "--mix", "browse=1");

        Assert.Equal(0, outcome.ExitCode);
        var totals = outcome.Result!.Value.GetProperty("totals");
        var requests = totals.GetProperty("requests").GetInt64();
        Assert.InRange(requests, 4, 6);
        Assert.Equal(requests, totals.GetProperty("errors").GetInt64());
        Assert.Equal(requests, totals.GetProperty("outcomes").GetProperty("429").GetInt64());
        Assert.All(outcome.Result!.Value.GetProperty("failedTraces").EnumerateArray(), trace => Assert.Equal("429", trace.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task Open_model_keeps_its_rate_when_rate_limited()
    {
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { RateLimitAfter = 1, RetryAfterSeconds = 5 });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "40", "--duration", "1s", "--warmup", "0", "--mix", "browse=1");

        var totals = outcome.Result!.Value.GetProperty("totals");
        Assert.Equal(40, totals.GetProperty("requests").GetInt64());
        Assert.Equal(40, totals.GetProperty("outcomes").GetProperty("429").GetInt64());
    }

    [Fact]
    public async Task Never_follows_a_redirect_away_from_the_gateway()
    {
        await using var elsewhere = await FakeGateway.StartAsync();
        await using var gateway = await FakeGateway.StartAsync(new FakeGatewayBehaviour { RedirectProductsTo = elsewhere.BaseAddress });

        var outcome = await LoadGeneratorProcess.RunAgainstAsync(gateway, "--rate", "20", "--duration", "1s", "--warmup", "0", "--mix", "browse=1");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Empty(elsewhere.Received);
        Assert.Equal(0, elsewhere.Unauthorized);
        var totals = outcome.Result!.Value.GetProperty("totals");
        Assert.Equal(20, totals.GetProperty("outcomes").GetProperty("302").GetInt64());
        Assert.Equal(20, totals.GetProperty("errors").GetInt64());
    }

    [Fact]
    public async Task Writes_the_documented_json_result_and_never_the_api_key()
    {
        await using var gateway = await FakeGateway.StartAsync();
        var state = Directory.CreateTempSubdirectory("loadgen-result-");
        try
        {
            var endpoints = Path.Combine(state.FullName, "endpoints.json");
            await File.WriteAllTextAsync(
                endpoints,
                JsonSerializer.Serialize(new { gateway = gateway.BaseAddress.ToString(), apiKey = FakeGateway.ApiKey, dashboard = "http://127.0.0.1:18888" }),
                TestContext.Current.CancellationToken);

            var outcome = await LoadGeneratorProcess.RunAsync(
                state.FullName, ["--endpoints", endpoints, "--rate", "40", "--duration", "1s", "--warmup", "500ms", "--seed", "42"]);

            Assert.Equal(0, outcome.ExitCode);
            // Without --output the result goes next to endpoints.json.
            var written = Assert.Single(Directory.GetFiles(Path.Combine(state.FullName, "loadgen"), "result-*.json"));
            var json = await File.ReadAllTextAsync(written, TestContext.Current.CancellationToken);
            var result = JsonDocument.Parse(json).RootElement;
            Assert.Equal("ordersystem-loadgen/1", result.GetProperty("schema").GetString());
            Assert.Equal(gateway.BaseAddress.ToString(), result.GetProperty("gateway").GetString());
            Assert.Equal("http://127.0.0.1:18888/", result.GetProperty("dashboard").GetString());
            Assert.False(result.GetProperty("interrupted").GetBoolean());
            Assert.True(result.TryGetProperty("startedAt", out _));

            var options = result.GetProperty("options");
            Assert.Equal("open", options.GetProperty("model").GetString());
            Assert.Equal(40, options.GetProperty("rate").GetDouble());
            Assert.Equal(JsonValueKind.Null, options.GetProperty("concurrency").ValueKind);
            Assert.Equal(1, options.GetProperty("durationSeconds").GetDouble());
            Assert.Equal(0.5, options.GetProperty("warmupSeconds").GetDouble());
            Assert.Equal(42, options.GetProperty("seed").GetInt32());
            Assert.Equal(30, options.GetProperty("mix").GetProperty("order").GetInt32());
            Assert.Equal(100, options.GetProperty("users").GetInt32());
            Assert.Equal(0.05, options.GetProperty("declinedRate").GetDouble());

            var totals = result.GetProperty("totals");
            var endpointsResult = result.GetProperty("endpoints").EnumerateArray().ToArray();
            Assert.All(endpointsResult, endpoint =>
            {
                Assert.Contains(endpoint.GetProperty("endpoint").GetString(), Routes);
                AssertLatency(endpoint.GetProperty("latencyMs"));
                Assert.Equal(endpoint.GetProperty("requests").GetInt64(), endpoint.GetProperty("outcomes").EnumerateObject().Sum(outcome => outcome.Value.GetInt64()));
                Assert.Equal(endpoint.GetProperty("requests").GetInt64(), endpoint.GetProperty("statusClasses").GetProperty("2xx").GetInt64() + Classes(endpoint, "4xx"));
            });
            Assert.Equal(totals.GetProperty("requests").GetInt64(), endpointsResult.Sum(endpoint => endpoint.GetProperty("requests").GetInt64()));
            Assert.Equal(40, totals.GetProperty("scenarioRuns").GetInt64());
            Assert.Equal(1, totals.GetProperty("measuredSeconds").GetDouble(), 0.05);
            AssertLatency(totals.GetProperty("latencyMs"));
            Assert.Equal(40, result.GetProperty("scenarios").EnumerateArray().Sum(scenario => scenario.GetProperty("runs").GetInt64()));
            Assert.All(result.GetProperty("slowestTraces").EnumerateArray(), trace =>
                Assert.Equal("http://127.0.0.1:18888/#/trace/" + trace.GetProperty("traceId").GetString(), trace.GetProperty("url").GetString()));

            Assert.DoesNotContain(FakeGateway.ApiKey, json, StringComparison.Ordinal);
            Assert.DoesNotContain(FakeGateway.ApiKey, outcome.Output, StringComparison.Ordinal);
            Assert.Contains("Endpoints", outcome.Output, StringComparison.Ordinal);
            Assert.Contains("Result: " + written, outcome.Output, StringComparison.Ordinal);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Cannot_run_when_the_gateway_refuses_the_key()
    {
        await using var gateway = await FakeGateway.StartAsync();

        var resultPath = Path.Combine(Path.GetTempPath(), $"loadgen-test-{Guid.NewGuid():N}.json");

        var outcome = await LoadGeneratorProcess.RunAsync(
            Directory.GetCurrentDirectory(), ["--gateway", gateway.BaseAddress.ToString(), "--api-key", "wrong", "--duration", "1s", "--output", resultPath]);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal($"loadgen: the Gateway at {gateway.BaseAddress} refused the API key (401); check apiKey in endpoints.json or --api-key", outcome.Error.Trim());
        Assert.Equal(1, gateway.Unauthorized);
        Assert.False(File.Exists(resultPath));
    }

    [Fact]
    public async Task Cannot_run_when_no_gateway_listens()
    {
        // A free port this process holds the reservation of: nothing listens there.
        var port = PortAllocator.AllocateFreePort();

        var outcome = await LoadGeneratorProcess.RunAsync(
            Directory.GetCurrentDirectory(), ["--gateway", $"http://127.0.0.1:{port}", "--api-key", "k", "--duration", "1s"]);

        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal($"loadgen: cannot connect to the Gateway at http://127.0.0.1:{port}/; is the system up (./run.sh)?", outcome.Error.Trim());
    }

    private static void AssertLatency(JsonElement latency)
    {
        var p50 = latency.GetProperty("p50").GetDouble();
        var p95 = latency.GetProperty("p95").GetDouble();
        var p99 = latency.GetProperty("p99").GetDouble();
        var max = latency.GetProperty("max").GetDouble();
        Assert.True(latency.GetProperty("min").GetDouble() <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max && max > 0, latency.ToString());
        Assert.True(latency.TryGetProperty("mean", out _));
    }

    private static long Classes(JsonElement endpoint, string statusClass) =>
        endpoint.GetProperty("statusClasses").TryGetProperty(statusClass, out var count) ? count.GetInt64() : 0;

    private static JsonElement Endpoint(JsonElement result, string name) =>
        result.GetProperty("endpoints").EnumerateArray().Single(endpoint => endpoint.GetProperty("endpoint").GetString() == name);
}
