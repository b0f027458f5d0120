using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenTelemetry.Proto.Trace.V1;
using Kind = OpenTelemetry.Proto.Trace.V1.Span.Types.SpanKind;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>GET /api/diagnose/traces/{id}: each rule on a trace built to show its problem, and none on healthy traces.</summary>
[Trait("Category", "Unit")]
public sealed class TraceDiagnosisTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow.AddMinutes(-5);

    private DiagnosisServer _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Healthy_order_traces_have_no_findings()
    {
        var traces = Enumerable.Range(0, 12).Select(i => OrderTraces.Healthy(Start.AddSeconds(i), jitterMs: i % 3 * 0.5)).ToList();
        traces.ForEach(t => _dashboard.Receive(t.Trace));

        foreach (var checkout in traces)
        {
            var diagnosis = await _dashboard.DiagnoseAsync(checkout.Trace);
            Assert.Equal(22, diagnosis.GetProperty("spanCount").GetInt32());
            Assert.Equal(0, diagnosis.GetProperty("errorCount").GetInt32());
            Assert.Empty(diagnosis.GetProperty("findings").EnumerateArray());
        }
    }

    [Fact]
    public async Task Critical_path_and_time_by_service_and_kind_follow_the_spans()
    {
        // gateway [0,100] -> orders [10,90] -> { SELECT [20,50], inventory [55,85] }
        var trace = new SyntheticTrace(Start);
        var root = trace.Add("gateway", "POST /api/orders", Kind.Server, 0, 100, null, ("http.request.method", "POST"));
        var orders = trace.Add("orders", "orders.OrderService/PlaceOrder", Kind.Server, 10, 80, root, ("rpc.system", "grpc"));
        var select = trace.Add("orders", "ordersdb", Kind.Client, 20, 30, orders, OrderTraces.Database("ordersdb", "SELECT 1"));
        var inventory = trace.Add("inventory", "inventory.InventoryService/Deduct", Kind.Server, 55, 30, orders, ("rpc.system", "grpc"));
        _dashboard.Receive(trace);

        var diagnosis = await _dashboard.DiagnoseAsync(trace);

        Assert.Equal(100, diagnosis.GetProperty("durationMs").GetDouble());
        var path = diagnosis.GetProperty("criticalPath").EnumerateArray()
            .Select(s => (s.GetProperty("spanId").GetString(), s.GetProperty("selfTimeMs").GetDouble())).ToList();
        Assert.Equal(
            [(SyntheticTrace.IdOf(root), 20.0), (SyntheticTrace.IdOf(orders), 20.0), (SyntheticTrace.IdOf(select), 30.0), (SyntheticTrace.IdOf(inventory), 30.0)],
            path);
        Assert.Equal([("orders", 50.0), ("inventory", 30.0), ("gateway", 20.0)], Shares(diagnosis, "timeByService"));
        Assert.Equal([("rpc", 50.0), ("database", 30.0), ("http", 20.0)], Shares(diagnosis, "timeByKind"));
    }

    [Fact]
    public async Task An_n_plus_one_of_20_selects_is_reported_with_its_statement_and_count()
    {
        var trace = new SyntheticTrace(Start);
        var root = trace.Add("gateway", "GET /api/orders/{id}", Kind.Server, 0, 130, null, ("http.request.method", "GET"));
        var orders = trace.Add("orders", "orders.OrderService/GetOrder", Kind.Server, 2, 126, root, ("rpc.system", "grpc"));
        trace.Add("orders", "ordersdb", Kind.Client, 3, 2, orders, OrderTraces.Database("ordersdb", "SELECT id, status FROM orders WHERE id = $1"));
        var lines = Enumerable.Range(1, 20).Select(i => trace.Add("orders", "ordersdb", Kind.Client, 6 + (i * 6), 5, orders,
            OrderTraces.Database("ordersdb", $"SELECT sku, quantity FROM order_lines WHERE order_id = 'o-77' AND line_no = {i}"))).ToList();
        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "n-plus-one"));

        var evidence = finding.GetProperty("evidence");
        Assert.Equal("SELECT sku, quantity FROM order_lines WHERE order_id = ? AND line_no = ?", evidence.GetProperty("statement").GetString());
        Assert.Equal(20, evidence.GetProperty("count").GetInt32());
        Assert.Equal(100, evidence.GetProperty("durationMs").GetDouble());
        Assert.Equal(lines.Select(SyntheticTrace.IdOf), DiagnosisServer.SpanIds(finding));
        Assert.Equal("warning", finding.GetProperty("severity").GetString());
        Assert.Contains("20 times", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The advice names the parent, the statement, the count and how to batch it.
        var advice = finding.GetProperty("advice").GetString()!;
        Assert.Contains("orders: orders.OrderService/GetOrder runs `SELECT sku, quantity FROM order_lines WHERE order_id = ? AND line_no = ?` once per item, 20 times", advice, StringComparison.Ordinal);
        Assert.Contains("`line_no = ANY($1)` with an array of the 20 keys", advice, StringComparison.Ordinal);
        Assert.Contains("a JOIN", advice, StringComparison.Ordinal);
        Assert.Contains("Include", advice, StringComparison.Ordinal);
        Assert.False(finding.TryGetProperty("fix", out _), "an N+1 has no one-statement fix");
    }

    [Fact]
    public async Task A_statement_far_slower_than_its_baseline_is_reported_with_the_baseline()
    {
        for (var i = 0; i < 10; i++)
        {
            _dashboard.Receive(OrderTraces.Healthy(Start.AddSeconds(i)).Trace);
        }

        var slow = OrderTraces.Healthy(Start.AddSeconds(20));
        OrderTraces.SetDuration(slow.LockingSelect, 300);
        _dashboard.Receive(slow.Trace);

        var diagnosis = await _dashboard.DiagnoseAsync(slow.Trace);

        var finding = Assert.Single(diagnosis.GetProperty("findings").EnumerateArray());
        Assert.Equal("slow-statement", finding.GetProperty("kind").GetString());
        var evidence = finding.GetProperty("evidence");
        Assert.Equal("SELECT sku, quantity FROM stock WHERE sku = ANY(?) ORDER BY sku FOR UPDATE", evidence.GetProperty("statement").GetString());
        Assert.Equal(300, evidence.GetProperty("durationMs").GetDouble());
        Assert.Equal(5, evidence.GetProperty("baselineMs").GetDouble());
        Assert.Equal(1, evidence.GetProperty("count").GetInt32());
        Assert.Equal([SyntheticTrace.IdOf(slow.LockingSelect)], DiagnosisServer.SpanIds(finding));

        // 40 ms over a 5 ms baseline is 8x, but within the 50 ms margin: no finding.
        var bitSlower = OrderTraces.Healthy(Start.AddSeconds(30));
        OrderTraces.SetDuration(bitSlower.LockingSelect, 40);
        _dashboard.Receive(bitSlower.Trace);
        Assert.Empty(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(bitSlower.Trace), "slow-statement"));
    }

    [Fact]
    public async Task A_deadlock_is_lock_contention_at_the_database_call_and_the_root_cause_of_the_failed_order()
    {
        var checkout = OrderTraces.Healthy(Start);
        const string Deadlock = "40P01: deadlock detected";
        SyntheticTrace.Fail(checkout.StockUpdate, Deadlock, "Npgsql.PostgresException").Attributes.Add(
            new OpenTelemetry.Proto.Common.V1.KeyValue { Key = "db.response.status_code", Value = new() { StringValue = "40P01" } });
        SyntheticTrace.Fail(checkout.InventoryDeduct, Deadlock, "Npgsql.PostgresException");
        SyntheticTrace.Fail(checkout.DeductInventory, "Status(StatusCode=\"Aborted\", Detail=\"40P01: deadlock detected\")");
        SyntheticTrace.Fail(checkout.Orders, "Deduction failed");
        SyntheticTrace.Fail(checkout.Root, "Internal Server Error");
        _dashboard.Receive(checkout.Trace);

        var diagnosis = await _dashboard.DiagnoseAsync(checkout.Trace);

        var lockContention = Assert.Single(DiagnosisServer.Findings(diagnosis, "lock-contention"));
        Assert.Equal("Deadlock (40P01)", lockContention.GetProperty("title").GetString());
        Assert.Equal("critical", lockContention.GetProperty("severity").GetString());
        Assert.Equal([SyntheticTrace.IdOf(checkout.StockUpdate)], DiagnosisServer.SpanIds(lockContention));
        Assert.Equal("UPDATE stock SET quantity = quantity - ? WHERE sku = ?", lockContention.GetProperty("evidence").GetProperty("statement").GetString());
        var advice = lockContention.GetProperty("advice").GetString()!;
        Assert.Contains(
            "This transaction locked rows with `SELECT sku, quantity FROM stock WHERE sku = ANY(?) ORDER BY sku FOR UPDATE` and was then waiting for a row at `UPDATE stock SET quantity = quantity - ? WHERE sku = ?`",
            advice,
            StringComparison.Ordinal);
        Assert.Contains("`SELECT * FROM stock WHERE sku = ANY($1) ORDER BY sku FOR UPDATE`", advice, StringComparison.Ordinal);

        var rootCause = Assert.Single(DiagnosisServer.Findings(diagnosis, "root-cause"));
        var path = DiagnosisServer.SpanIds(rootCause);
        Assert.Equal(SyntheticTrace.IdOf(checkout.StockUpdate), path[0]);
        Assert.Equal(SyntheticTrace.IdOf(checkout.Root), path[^1]);
        Assert.Contains("40P01: deadlock detected", rootCause.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal("critical", diagnosis.GetProperty("findings")[0].GetProperty("severity").GetString());
    }

    [Fact]
    public async Task A_deadlock_of_row_locks_taken_one_at_a_time_names_the_lock_order_and_one_order_to_lock_in()
    {
        var trace = new SyntheticTrace(Start);
        var deduct = trace.Add("inventory", "ordersystem.inventory.v1.InventoryService/Deduct", Kind.Server, 0, 1100, null, ("rpc.system", "grpc"));
        const string LockOne = "SELECT * FROM inventory_items WHERE sku = $1 FOR UPDATE";
        trace.Add("inventory", "inventorydb", Kind.Client, 1, 2, deduct, OrderTraces.Database("inventorydb", LockOne));
        trace.Add("inventory", "inventorydb", Kind.Client, 4, 2, deduct, OrderTraces.Database("inventorydb", LockOne));
        var victim = SyntheticTrace.Fail(trace.Add("inventory", "inventorydb", Kind.Client, 7, 1000, deduct, OrderTraces.Database("inventorydb", LockOne)), "40P01: deadlock detected", "Npgsql.PostgresException");
        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "lock-contention"), f => f.GetProperty("title").GetString() == "Deadlock (40P01)");

        Assert.Equal([SyntheticTrace.IdOf(victim)], DiagnosisServer.SpanIds(finding));
        Assert.Equal(
            "This transaction locked rows with `SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE` (2 times) and was then waiting for a row at `SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE`; "
            + "another transaction held that row and waited for one of these: the two took the same rows in opposite orders. Lock rows in one order in every transaction: all at once in one statement sorted by the key "
            + "(`SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku FOR UPDATE`), or sort the keys before locking them one at a time.",
            finding.GetProperty("advice").GetString());
    }

    [Fact]
    public async Task A_deadlock_victim_that_had_locked_no_rows_yet_is_told_it_was_queued_among_opposite_order_transactions()
    {
        var trace = new SyntheticTrace(Start);
        var deduct = trace.Add("inventory", "ordersystem.inventory.v1.InventoryService/Deduct", Kind.Server, 0, 1100, null, ("rpc.system", "grpc"));
        trace.Add("inventory", "inventorydb", Kind.Client, 1, 2, deduct, OrderTraces.Database("inventorydb", "SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))"));
        var victim = SyntheticTrace.Fail(
            trace.Add("inventory", "inventorydb", Kind.Client, 4, 1000, deduct, OrderTraces.Database("inventorydb", "SELECT * FROM inventory_items WHERE sku = $1 FOR UPDATE")),
            "40P01: deadlock detected",
            "Npgsql.PostgresException");
        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "lock-contention"), f => f.GetProperty("title").GetString() == "Deadlock (40P01)");

        Assert.Equal([SyntheticTrace.IdOf(victim)], DiagnosisServer.SpanIds(finding));
        Assert.Equal(
            "This transaction was waiting for a row lock at `SELECT * FROM inventory_items WHERE sku = ? FOR UPDATE` and had locked no rows before it in this trace: "
            + "it was queued for that row among transactions that took the same rows in opposite orders, and PostgreSQL aborted it to break their cycle. "
            + "Lock rows in one order in every transaction: all at once in one statement sorted by the key "
            + "(`SELECT * FROM inventory_items WHERE sku = ANY($1) ORDER BY sku FOR UPDATE`), or sort the keys before locking them one at a time.",
            finding.GetProperty("advice").GetString());
    }

    [Fact]
    public async Task A_lock_timeout_the_saga_recovered_from_is_a_warning_and_no_root_cause()
    {
        var checkout = OrderTraces.Healthy(Start);
        SyntheticTrace.Fail(checkout.LockingSelect, "55P03: canceling statement due to lock timeout", "Npgsql.PostgresException");
        _dashboard.Receive(checkout.Trace);

        var diagnosis = await _dashboard.DiagnoseAsync(checkout.Trace);

        var finding = Assert.Single(diagnosis.GetProperty("findings").EnumerateArray());
        Assert.Equal(("lock-contention", "Lock timeout (55P03)", "warning"),
            (finding.GetProperty("kind").GetString(), finding.GetProperty("title").GetString(), finding.GetProperty("severity").GetString()));
    }

    [Fact]
    public async Task A_long_wait_on_a_locking_statement_is_lock_contention()
    {
        var checkout = OrderTraces.Healthy(Start);
        OrderTraces.SetDuration(checkout.LockingSelect, 800);
        _dashboard.Receive(checkout.Trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(checkout.Trace), "lock-contention"));

        Assert.StartsWith("Long lock wait: SELECT sku, quantity FROM stock", finding.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(800, finding.GetProperty("evidence").GetProperty("durationMs").GetDouble());
    }

    [Fact]
    public async Task A_slow_outbox_poll_with_skip_locked_waits_on_no_lock()
    {
        var trace = new SyntheticTrace(Start);
        var relay = trace.Add("orders", "RelayOutbox", Kind.Internal, 0, 900);
        trace.Add("orders", "ordersdb", Kind.Client, 1, 800, relay,
            OrderTraces.Database("ordersdb", "SELECT id, payload FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"));
        _dashboard.Receive(trace);

        Assert.Empty(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "lock-contention"));
    }

    [Fact]
    public async Task Payment_retries_failing_with_503_before_one_succeeds_are_a_retry_storm()
    {
        var checkout = OrderTraces.Healthy(Start);
        var trace = checkout.Trace;
        var attempts = Enumerable.Range(0, 3).Select(i => SyntheticTrace.Fail(
            trace.Add("orders", "POST", Kind.Client, 51.1 + (i * 0.3), 0.2, checkout.ProcessPayment,
                ("http.request.method", "POST"), ("url.full", $"http://127.0.0.1:5004/api/payments?attempt={i}"), ("http.response.status_code", 503)),
            "Service Unavailable")).ToList();
        _dashboard.Receive(trace);

        var diagnosis = await _dashboard.DiagnoseAsync(trace);

        var finding = Assert.Single(diagnosis.GetProperty("findings").EnumerateArray());
        Assert.Equal("retry-storm", finding.GetProperty("kind").GetString());
        Assert.Equal("warning", finding.GetProperty("severity").GetString());
        Assert.Equal("Retry storm: POST http://127.0.0.1:5004/api/payments", finding.GetProperty("title").GetString());
        Assert.Equal(4, finding.GetProperty("evidence").GetProperty("count").GetInt32());
        Assert.Contains("3 failed (HTTP 503) before the last one succeeded", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);
        var spanIds = DiagnosisServer.SpanIds(finding);
        Assert.Equal(attempts.Select(SyntheticTrace.IdOf), spanIds[..3]);

        // The dependency (the service that answered the last call), the policy the calls show, and what to change.
        var advice = finding.GetProperty("advice").GetString()!;
        Assert.StartsWith("orders: ProcessPayment called payments (POST http://127.0.0.1:5004/api/payments) 4 times: the retry policy in effect is 4 attempts (3 retries), a fixed delay of about 0 ms between them.", advice, StringComparison.Ordinal);
        Assert.Contains("back off exponentially with jitter", advice, StringComparison.Ordinal);
        Assert.Contains("a circuit breaker", advice, StringComparison.Ordinal);
        Assert.Contains("an idempotency key on the POST", advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_storm_with_growing_delays_is_told_to_keep_its_backoff_and_to_try_fewer_times()
    {
        var trace = new SyntheticTrace(Start);
        var root = trace.Add("orders", "ReserveStock", Kind.Internal, 0, 800);
        double[] starts = [0, 110, 320, 730];
        foreach (var start in starts)
        {
            trace.Add("orders", "inventory.InventoryService/Deduct", Kind.Client, start + 1, 10, root,
                ("rpc.system.name", "grpc"), ("rpc.method", "inventory.InventoryService/Deduct"), ("rpc.response.status_code", "UNAVAILABLE"));
        }

        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "retry-storm"));
        var advice = finding.GetProperty("advice").GetString()!;
        Assert.Contains("called inventory.InventoryService/Deduct 4 times: the retry policy in effect is 4 attempts (3 retries), growing delays (100, 200, 400 ms): a backoff.", advice, StringComparison.Ordinal);
        Assert.Contains("keep the backoff and give it jitter", advice, StringComparison.Ordinal);
        Assert.Contains("fewer attempts and a circuit breaker that stops calling inventory.InventoryService/Deduct while it keeps failing", advice, StringComparison.Ordinal);
        Assert.DoesNotContain("idempotency key", advice, StringComparison.Ordinal);
    }

    public static TheoryData<string> RpcConventions => ["current", "older"];

    [Theory]
    [MemberData(nameof(RpcConventions))]
    public async Task Grpc_calls_all_failing_unavailable_are_a_critical_retry_storm(string conventions)
    {
        var trace = new SyntheticTrace(Start);
        var root = trace.Add("gateway", "GET /api/products", Kind.Server, 0, 50, null, ("http.request.method", "GET"));
        for (var i = 0; i < 3; i++)
        {
            // OpenTelemetry.Instrumentation.GrpcNetClient writes the current names; other instrumentations the older ones.
            (string, object)[] attributes = conventions == "current"
                ? [("rpc.system.name", "grpc"), ("rpc.method", "inventory.InventoryService/ListProducts"), ("rpc.response.status_code", "UNAVAILABLE")]
                : [("rpc.system", "grpc"), ("rpc.service", "inventory.InventoryService"), ("rpc.method", "ListProducts"), ("rpc.grpc.status_code", 14)];
            trace.Add("gateway", "inventory.InventoryService/ListProducts", Kind.Client, 1 + (i * 10), 5, root, attributes);
        }

        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "retry-storm"));
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.Contains("(gRPC UNAVAILABLE) and none succeeded", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Contains("called inventory.InventoryService/ListProducts 3 times", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mostly_missed_cache_lookups_are_reported()
    {
        var checkout = OrderTraces.Healthy(Start);
        var trace = checkout.Trace;
        var inventory = trace.Add("inventory", "inventory.InventoryService/CheckAvailability", Kind.Server, 30, 10, checkout.Orders,
            ("rpc.system", "grpc"), ("inventory.cache_hit", false), ("inventory.cache.hits", 1), ("inventory.cache.misses", 7));
        _dashboard.Receive(trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(trace), "cache-miss"));

        Assert.Equal(7, finding.GetProperty("evidence").GetProperty("count").GetInt32());
        Assert.Equal([SyntheticTrace.IdOf(inventory)], DiagnosisServer.SpanIds(finding));
        Assert.Contains("7 of 10 cache lookups missed (70%)", finding.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consumer_starting_three_seconds_after_the_producer_ended_is_messaging_lag()
    {
        var checkout = OrderTraces.Healthy(Start);
        var consumer = checkout.Consumer;
        consumer.StartTimeUnixNano = checkout.Producer.EndTimeUnixNano + 3_000_000_000;
        consumer.EndTimeUnixNano = consumer.StartTimeUnixNano + 10_000_000;
        _dashboard.Receive(checkout.Trace);

        var finding = Assert.Single(DiagnosisServer.Findings(await _dashboard.DiagnoseAsync(checkout.Trace), "messaging-lag"));

        Assert.Equal("Messaging lag: order.events", finding.GetProperty("title").GetString());
        Assert.Equal(3000, finding.GetProperty("evidence").GetProperty("durationMs").GetDouble());
        Assert.Equal([SyntheticTrace.IdOf(checkout.Producer), SyntheticTrace.IdOf(consumer)], DiagnosisServer.SpanIds(finding));
    }

    [Fact]
    public async Task Unknown_and_malformed_trace_ids_get_the_dashboard_error_shape()
    {
        Assert.Equal((HttpStatusCode.NotFound, "trace not found"), await _dashboard.GetErrorAsync($"api/diagnose/traces/{new string('a', 32)}"));
        var (status, message) = await _dashboard.GetErrorAsync("api/diagnose/traces/not-hex");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("not a trace id", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trace_with_a_parent_cycle_and_missing_parents_is_analysed_without_failing()
    {
        var trace = new SyntheticTrace(Start);
        var a = trace.Add("svc", "a", Kind.Internal, 0, 10);
        var b = trace.Add("svc", "b", Kind.Internal, 1, 5, a);
        a.ParentSpanId = b.SpanId;
        var orphan = trace.Add("svc", "orphan", Kind.Internal, 2, 3);
        orphan.ParentSpanId = Google.Protobuf.ByteString.CopyFrom([9, 9, 9, 9, 9, 9, 9, 9]);
        _dashboard.Receive(trace);

        var diagnosis = await _dashboard.DiagnoseAsync(trace);

        Assert.Equal(3, diagnosis.GetProperty("spanCount").GetInt32());
        Assert.NotEmpty(diagnosis.GetProperty("criticalPath").EnumerateArray());
    }

    private static List<(string, double)> Shares(JsonElement diagnosis, string property) =>
        [.. diagnosis.GetProperty(property).EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("selfTimeMs").GetDouble()))];
}
