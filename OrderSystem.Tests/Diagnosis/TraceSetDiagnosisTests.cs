using System.Globalization;
using System.Net;
using System.Text.Json;
using Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>GET /api/diagnose (slowest P% against the rest) and GET /api/compare (two time windows).</summary>
[Trait("Category", "Unit")]
public sealed class TraceSetDiagnosisTests : IAsyncLifetime
{
    private const string LockingSelect = "SELECT sku, quantity FROM stock WHERE sku = ANY(?) ORDER BY sku FOR UPDATE";
    private const string OrderLinesSelect = "SELECT sku, quantity FROM order_lines WHERE order_id = ? AND line_no = ?";

    private DiagnosisServer _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task The_slowest_5_percent_are_compared_with_the_rest()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 100; i++)
        {
            // Every 20th request waits 1.8 s on the locking SELECT; two fast ones fail.
            var selectMs = i % 20 == 7 ? 1_800 : 5 + (i % 5 * 0.2);
            _dashboard.Receive(Order(now.AddSeconds(-300 + i), selectMs, failed: i is 10 or 11));
        }

        for (var i = 0; i < 3; i++)
        {
            var other = new SyntheticTrace(now.AddSeconds(-100 + i));
            other.Add("gateway", "GET /api/products", Kind.Server, 0, 9_000, null, ("http.request.method", "GET"));
            _dashboard.Receive(other);
        }

        var set = await _dashboard.GetDataAsync("api/diagnose?service=gateway&operation=" + Uri.EscapeDataString("POST /api/orders") + "&lookback=15m&slowestPercent=5");

        var slow = set.GetProperty("slow").GetProperty("requests");
        var rest = set.GetProperty("rest").GetProperty("requests");
        Assert.Equal((5, 95), (slow.GetProperty("count").GetInt32(), rest.GetProperty("count").GetInt32()));
        Assert.Equal(1_810, set.GetProperty("slowThresholdMs").GetDouble());
        Assert.Equal((1_810, 1_810, 0.0), (slow.GetProperty("p50Ms").GetDouble(), slow.GetProperty("p99Ms").GetDouble(), slow.GetProperty("errorRate").GetDouble()));
        Assert.Equal((15, 15.8, 15.8), (rest.GetProperty("minMs").GetDouble(), rest.GetProperty("p99Ms").GetDouble(), rest.GetProperty("maxMs").GetDouble()));
        Assert.Equal(Math.Round(2 / 95.0, 4), rest.GetProperty("errorRate").GetDouble());

        Assert.Equal("database", set.GetProperty("slow").GetProperty("timeByKind")[0].GetProperty("name").GetString());
        Assert.Equal(1_804, set.GetProperty("slow").GetProperty("timeByKind")[0].GetProperty("selfTimeMs").GetDouble());
        var grown = set.GetProperty("growingOperations")[0];
        Assert.Equal($"inventory: {LockingSelect}", grown.GetProperty("operation").GetString());
        Assert.True(grown.GetProperty("slowShare").GetDouble() > 0.99, grown.ToString());
        Assert.True(grown.GetProperty("restShare").GetDouble() < 0.4, grown.ToString());
        Assert.Equal(1_800, grown.GetProperty("slowMeanMs").GetDouble());

        var findings = set.GetProperty("findings").EnumerateArray()
            .ToDictionary(f => f.GetProperty("kind").GetString()!, f => (InSlow: f.GetProperty("slowTraces").GetInt32(), InRest: f.GetProperty("restTraces").GetInt32(), Finding: f));
        Assert.Equal((5, 0), (findings["slow-statement"].InSlow, findings["slow-statement"].InRest));
        Assert.Equal((5, 0), (findings["lock-contention"].InSlow, findings["lock-contention"].InRest));
        Assert.Equal((0, 2), (findings["root-cause"].InSlow, findings["root-cause"].InRest));
        Assert.Equal(5, findings["slow-statement"].Finding.GetProperty("exampleTraceIds").GetArrayLength());
        Assert.Equal(3, findings.Count);
    }

    [Fact]
    public async Task Two_windows_compare_with_the_changed_operations_first()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10; i++)
        {
            _dashboard.Receive(OrderWithLines(now.AddMinutes(-40).AddSeconds(i * 30), linesQueriedOneByOne: true, failed: i == 3));
            _dashboard.Receive(OrderWithLines(now.AddMinutes(-10).AddSeconds(i * 30), linesQueriedOneByOne: false, failed: false));
        }

        var beforeStart = now.AddMinutes(-45).ToString("O", CultureInfo.InvariantCulture);
        var beforeEnd = now.AddMinutes(-30).ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture);
        var afterStart = (now.AddMinutes(-15).ToUnixTimeMilliseconds() * 1_000).ToString(CultureInfo.InvariantCulture);
        var comparison = await _dashboard.GetDataAsync(
            $"api/compare?service=gateway&operation={Uri.EscapeDataString("GET /api/orders/{id}")}&beforeStart={Uri.EscapeDataString(beforeStart)}&beforeEnd={Uri.EscapeDataString(beforeEnd)}&afterStart={afterStart}&afterEnd=now");

        var before = comparison.GetProperty("before").GetProperty("requests");
        var after = comparison.GetProperty("after").GetProperty("requests");
        Assert.Equal((10, 0.1, 3_200.0, 3_200.0), (before.GetProperty("count").GetInt32(), before.GetProperty("errorRate").GetDouble(), before.GetProperty("p50Ms").GetDouble(), before.GetProperty("p99Ms").GetDouble()));
        Assert.Equal((10, 0.0, 350.0, 350.0), (after.GetProperty("count").GetInt32(), after.GetProperty("errorRate").GetDouble(), after.GetProperty("p50Ms").GetDouble(), after.GetProperty("p95Ms").GetDouble()));

        var changes = comparison.GetProperty("changes").EnumerateArray().ToList();
        var lines = changes[0];
        Assert.Equal($"orders: {OrderLinesSelect}", lines.GetProperty("operation").GetString());
        Assert.Equal((20.0, 0.0, 150.0, 3_000.0, 0.0, -3_000.0),
            (lines.GetProperty("beforeCallsPerRequest").GetDouble(), lines.GetProperty("afterCallsPerRequest").GetDouble(), lines.GetProperty("beforeMeanMs").GetDouble(),
             lines.GetProperty("beforePerRequestMs").GetDouble(), lines.GetProperty("afterPerRequestMs").GetDouble(), lines.GetProperty("changeMs").GetDouble()));
        var root = changes.Single(c => c.GetProperty("operation").GetString() == "gateway: GET /api/orders/{id}");
        Assert.Equal((3_200.0, 350.0, -2_850.0), (root.GetProperty("beforeMeanMs").GetDouble(), root.GetProperty("afterMeanMs").GetDouble(), root.GetProperty("changeMs").GetDouble()));
        var batched = changes.Single(c => c.GetProperty("operation").GetString()!.Contains("ANY(?)", StringComparison.Ordinal));
        Assert.Equal((0.0, 1.0, 150.0), (batched.GetProperty("beforeCallsPerRequest").GetDouble(), batched.GetProperty("afterCallsPerRequest").GetDouble(), batched.GetProperty("changeMs").GetDouble()));
    }

    [Fact]
    public async Task Cache_misses_are_summed_over_the_requests_even_when_each_looks_up_too_few_keys_for_a_finding()
    {
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 10; i++)
        {
            _dashboard.Receive(CheckingOrder(now.AddMinutes(-40).AddSeconds(i * 30), hits: 2, misses: i == 0 ? 1 : 0));
            _dashboard.Receive(CheckingOrder(now.AddMinutes(-10).AddSeconds(i * 30), hits: 0, misses: 2));
        }

        var operation = Uri.EscapeDataString("POST /api/orders");
        var comparison = await _dashboard.GetDataAsync($"api/compare?service=gateway&operation={operation}&beforeStart=now-45m&beforeEnd=now-30m&afterStart=now-15m");
        Assert.Equal((21, 1, Math.Round(1 / 21.0, 4)), CacheFigures(comparison.GetProperty("before")));
        Assert.Equal((20, 20, 1.0), CacheFigures(comparison.GetProperty("after")));

        var set = await _dashboard.GetDataAsync($"api/diagnose?service=gateway&operation={operation}&lookback=15m&slowestPercent=50");
        Assert.Equal((10, 10, 1.0), CacheFigures(set.GetProperty("slow")));
        Assert.Equal((10, 10, 1.0), CacheFigures(set.GetProperty("rest")));
        Assert.DoesNotContain(set.GetProperty("findings").EnumerateArray(), f => f.GetProperty("kind").GetString() == "cache-miss");

        static (int Lookups, int Misses, double MissRatio) CacheFigures(JsonElement group)
        {
            var cache = group.GetProperty("cache");
            return (cache.GetProperty("lookups").GetInt32(), cache.GetProperty("misses").GetInt32(), cache.GetProperty("missRatio").GetDouble());
        }

        static SyntheticTrace CheckingOrder(DateTimeOffset start, int hits, int misses)
        {
            var trace = new SyntheticTrace(start);
            var root = trace.Add("gateway", "POST /api/orders", Kind.Server, 0, 20, null, ("http.request.method", "POST"));
            trace.Add("inventory", "CheckAvailability", Kind.Internal, 2, 10, root, ("inventory.cache.hits", hits), ("inventory.cache.misses", misses));
            return trace;
        }
    }

    [Theory]
    [InlineData("api/diagnose?operation=x", "service is required")]
    [InlineData("api/diagnose?service=gateway&slowestPercent=0", "slowestPercent '0' must be a number above 0 and below 100")]
    [InlineData("api/diagnose?service=gateway&slowestPercent=abc", "slowestPercent 'abc' must be a number above 0 and below 100")]
    [InlineData("api/diagnose?service=gateway&lookback=forever", "lookback 'forever' is not a positive duration such as 15m or 1h")]
    [InlineData("api/diagnose?service=gateway&start=now&end=now-1h", "the window must start before it ends")]
    [InlineData("api/compare?service=gateway&afterStart=now-5m", "beforeStart is required")]
    [InlineData("api/compare?service=gateway&beforeStart=yesterday&afterStart=now-5m", "beforeStart 'yesterday' is not a time")]
    [InlineData("api/compare?service=gateway&beforeStart=now-1h&beforeEnd=now-2h&afterStart=now-5m", "before must start before it ends")]
    public async Task Bad_parameters_get_400_with_a_message(string path, string message)
    {
        var (status, actual) = await _dashboard.GetErrorAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith(message, actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_without_requests_in_the_window_gives_empty_groups()
    {
        var set = await _dashboard.GetDataAsync("api/diagnose?service=nobody&lookback=5m");

        Assert.Equal(0, set.GetProperty("slow").GetProperty("requests").GetProperty("count").GetInt32());
        Assert.Equal(0, set.GetProperty("rest").GetProperty("requests").GetProperty("count").GetInt32());
        Assert.Empty(set.GetProperty("findings").EnumerateArray());
    }

    /// <summary>POST /api/orders: the request lasts the locking SELECT plus 10 ms.</summary>
    private static SyntheticTrace Order(DateTimeOffset start, double selectMs, bool failed)
    {
        var trace = new SyntheticTrace(start);
        var root = trace.Add("gateway", "POST /api/orders", Kind.Server, 0, selectMs + 10, null, ("http.request.method", "POST"));
        var orders = trace.Add("orders", "orders.OrderService/PlaceOrder", Kind.Server, 1, selectMs + 8, root, ("rpc.system", "grpc"));
        trace.Add("inventory", "inventorydb", Kind.Client, 2, selectMs, orders, OrderTraces.Database("inventorydb", OrderTraces.LockingSelect));
        trace.Add("orders", "ordersdb", Kind.Client, 3 + selectMs, 4, orders, OrderTraces.Database("ordersdb", "INSERT INTO orders (id) VALUES ($1)"));
        if (failed)
        {
            SyntheticTrace.Fail(root, "Internal Server Error");
        }

        return trace;
    }

    /// <summary>GET /api/orders/{id}: 20 line queries of 150 ms (3200 ms in all), or one batched query (350 ms).</summary>
    private static SyntheticTrace OrderWithLines(DateTimeOffset start, bool linesQueriedOneByOne, bool failed)
    {
        var trace = new SyntheticTrace(start);
        var total = linesQueriedOneByOne ? 3_200 : 350;
        var root = trace.Add("gateway", "GET /api/orders/{id}", Kind.Server, 0, total, null, ("http.request.method", "GET"));
        var orders = trace.Add("orders", "orders.OrderService/GetOrder", Kind.Server, 10, total - 20, root, ("rpc.system", "grpc"));
        if (linesQueriedOneByOne)
        {
            for (var line = 1; line <= 20; line++)
            {
                trace.Add("orders", "ordersdb", Kind.Client, 20 + ((line - 1) * 150), 150, orders,
                    OrderTraces.Database("ordersdb", $"SELECT sku, quantity FROM order_lines WHERE order_id = $1 AND line_no = {line}"));
            }
        }
        else
        {
            trace.Add("orders", "ordersdb", Kind.Client, 20, 150, orders,
                OrderTraces.Database("ordersdb", "SELECT line_no, sku, quantity FROM order_lines WHERE order_id = $1 AND line_no = ANY($2)"));
        }

        if (failed)
        {
            SyntheticTrace.Fail(root, "Internal Server Error");
        }

        return trace;
    }
}
