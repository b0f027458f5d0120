using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>Telemetry sent by the stock OpenTelemetry .NET exporter comes back from the query API unchanged.</summary>
[Trait("Category", "Integration")]
public sealed class RoundTripTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private DiagnosticsServer _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await DiagnosticsServer.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Spans_exported_over_otlp_grpc_come_back_with_ids_parents_attributes_and_status()
    {
        var sourceName = $"roundtrip.grpc.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        string traceId, parentId, childId;
        using (var tracing = OtlpExporters.GrpcTracing(_dashboard, "rt-grpc", sourceName))
        {
            using (var parent = source.StartActivity("CreateOrder", ActivityKind.Server)!)
            {
                traceId = parent.TraceId.ToHexString();
                parentId = parent.SpanId.ToHexString();
                using var child = source.StartActivity("SELECT ordersdb", ActivityKind.Client)!;
                childId = child.SpanId.ToHexString();
                child.SetTag("db.system", "postgresql");
                child.SetStatus(ActivityStatusCode.Error, "deadlock detected");
            }

            Assert.True(tracing.ForceFlush(10_000), "the gRPC export did not complete");
        }

        using var trace = await Eventually.WaitForAsync(() => GetTraceAsync(traceId, expectedSpans: 2), Deadline, $"trace {traceId} over OTLP/gRPC");
        var spans = trace.RootElement.GetProperty("data")[0].GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanID").GetString()!);
        Assert.Equal("rt-grpc", trace.RootElement.GetProperty("data")[0].GetProperty("processes").EnumerateObject().Single().Value.GetProperty("serviceName").GetString());
        AssertChildOf(spans[childId], traceId, parentId);
        Assert.Equal("postgresql", Tag(spans[childId], "db.system").GetString());
        Assert.Equal("deadlock detected", Tag(spans[childId], "otel.status_description").GetString());
    }

    [Fact]
    public async Task Spans_from_two_services_come_back_with_ids_parents_attributes_events_links_and_status()
    {
        var gatewaySource = $"roundtrip.gateway.{Guid.NewGuid():N}";
        var ordersSource = $"roundtrip.orders.{Guid.NewGuid():N}";
        using var gatewaySpans = new ActivitySource(gatewaySource);
        using var ordersSpans = new ActivitySource(ordersSource);
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        string traceId, rootId, clientId, serverId;
        using (var gateway = OtlpExporters.Tracing(_dashboard, "rt-gateway", gatewaySource))
        using (var orders = OtlpExporters.Tracing(_dashboard, "rt-orders", ordersSource))
        {
            using (var root = gatewaySpans.StartActivity("POST /orders", ActivityKind.Server)!)
            {
                root.SetTag("http.request.method", "POST");
                root.SetTag("http.response.status_code", 502);
                root.SetStatus(ActivityStatusCode.Error, "downstream failed");
                traceId = root.TraceId.ToHexString();
                rootId = root.SpanId.ToHexString();
                using (var client = gatewaySpans.StartActivity("orders.Create", ActivityKind.Client)!)
                {
                    clientId = client.SpanId.ToHexString();
                    client.SetTag("rpc.system", "grpc");
                    using var server = ordersSpans.StartActivity("OrderService/Create", ActivityKind.Server, default(ActivityContext), links: [new ActivityLink(linked)])!;
                    serverId = server.SpanId.ToHexString();
                    server.SetTag("order.total", 12.5);
                    server.SetTag("order.express", true);
                    server.AddEvent(new ActivityEvent("stock.reserved", tags: new ActivityTagsCollection { ["sku"] = "ABC-1" }));
                }
            }

            gateway.ForceFlush();
            orders.ForceFlush();
        }

        using var trace = await Eventually.WaitForAsync(() => GetTraceAsync(traceId, expectedSpans: 3), Deadline, $"trace {traceId} with 3 spans");
        var data = trace.RootElement.GetProperty("data")[0];
        Assert.Equal(traceId, data.GetProperty("traceID").GetString());
        var spans = data.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanID").GetString()!);
        Assert.Equal(new[] { rootId, clientId, serverId }.Order(), spans.Keys.Order());

        var rootSpan = spans[rootId];
        Assert.Equal("POST /orders", rootSpan.GetProperty("operationName").GetString());
        Assert.Empty(rootSpan.GetProperty("references").EnumerateArray());
        Assert.Equal("POST", Tag(rootSpan, "http.request.method").GetString());
        Assert.Equal(502, Tag(rootSpan, "http.response.status_code").GetInt64());
        Assert.Equal("ERROR", Tag(rootSpan, "otel.status_code").GetString());
        Assert.Equal("downstream failed", Tag(rootSpan, "otel.status_description").GetString());
        Assert.True(Tag(rootSpan, "error").GetBoolean());
        Assert.Equal("server", Tag(rootSpan, "span.kind").GetString());

        AssertChildOf(spans[clientId], traceId, rootId);
        var serverSpan = spans[serverId];
        var references = serverSpan.GetProperty("references").EnumerateArray().ToList();
        Assert.Equal(2, references.Count);
        Assert.Equal(("CHILD_OF", clientId), (references[0].GetProperty("refType").GetString(), references[0].GetProperty("spanID").GetString()));
        Assert.Equal(("FOLLOWS_FROM", linked.TraceId.ToHexString(), linked.SpanId.ToHexString()),
            (references[1].GetProperty("refType").GetString(), references[1].GetProperty("traceID").GetString(), references[1].GetProperty("spanID").GetString()));
        Assert.Equal(12.5, Tag(serverSpan, "order.total").GetDouble());
        Assert.True(Tag(serverSpan, "order.express").GetBoolean());
        Assert.DoesNotContain(serverSpan.GetProperty("tags").EnumerateArray(), t => t.GetProperty("key").GetString() == "error");

        var log = Assert.Single(serverSpan.GetProperty("logs").EnumerateArray());
        var fields = log.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("key").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("stock.reserved", fields["event"]);
        Assert.Equal("ABC-1", fields["sku"]);

        var processes = data.GetProperty("processes");
        Assert.Equal("rt-gateway", processes.GetProperty(rootSpan.GetProperty("processID").GetString()!).GetProperty("serviceName").GetString());
        Assert.Equal("rt-orders", processes.GetProperty(serverSpan.GetProperty("processID").GetString()!).GetProperty("serviceName").GetString());

        using var dependencies = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/dependencies", TestContext.Current.CancellationToken));
        var edge = Assert.Single(dependencies.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(("rt-gateway", "rt-orders", 1L), (edge.GetProperty("parent").GetString(), edge.GetProperty("child").GetString(), edge.GetProperty("callCount").GetInt64()));
    }

    [Fact]
    public async Task Search_finds_the_trace_by_service_operation_tag_duration_and_error()
    {
        var sourceName = $"roundtrip.search.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        string failedTrace;
        using (var provider = OtlpExporters.Tracing(_dashboard, "rt-search", sourceName))
        {
            using (var ok = source.StartActivity("GET /catalog", ActivityKind.Server)!)
            {
                ok.SetTag("http.response.status_code", 200);
            }

            using (var failed = source.StartActivity("GET /catalog", ActivityKind.Server)!)
            {
                failed.SetTag("http.response.status_code", 500);
                failed.SetStatus(ActivityStatusCode.Error);
                failedTrace = failed.TraceId.ToHexString();
            }

            provider.ForceFlush();
        }

        await Eventually.WaitForAsync(async () => (await SearchAsync("service=rt-search")).Count == 2 ? "ok" : null, Deadline, "both traces");
        Assert.Equal([failedTrace], await SearchAsync("service=rt-search&tags=" + Uri.EscapeDataString("{\"http.response.status_code\":\"500\"}")));
        Assert.Equal([failedTrace], await SearchAsync("service=rt-search&tags=" + Uri.EscapeDataString("{\"error\":\"true\"}")));
        Assert.Equal([failedTrace], await SearchAsync("service=rt-search&operation=" + Uri.EscapeDataString("GET /catalog") + "&errors=true"));
        Assert.Equal(2, (await SearchAsync("service=rt-search&minDuration=0ms&maxDuration=1m")).Count);
        Assert.Empty(await SearchAsync("service=rt-search&minDuration=1h"));
        Assert.Empty(await SearchAsync("service=rt-search&operation=nothing-like-this"));

        using var services = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/services", TestContext.Current.CancellationToken));
        Assert.Contains("rt-search", services.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetString()));
        using var operations = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/services/rt-search/operations", TestContext.Current.CancellationToken));
        Assert.Equal(["GET /catalog"], operations.RootElement.GetProperty("data").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Logs_written_inside_a_span_are_found_by_its_trace_id()
    {
        var sourceName = $"roundtrip.logs.{Guid.NewGuid():N}";
        using var source = new ActivitySource(sourceName);
        using var tracing = OtlpExporters.Tracing(_dashboard, "rt-logs", sourceName);
        using var loggerFactory = OtlpExporters.Logging(_dashboard, "rt-logs");
        var logger = loggerFactory.CreateLogger("RoundTrip");

        string traceId, spanId;
        using (var activity = source.StartActivity("work")!)
        {
            traceId = activity.TraceId.ToHexString();
            spanId = activity.SpanId.ToHexString();
            logger.LogWarning("Stock for {Sku} is low", "ABC-1");
        }

        using var logs = await Eventually.WaitForAsync(async () =>
        {
            var document = JsonDocument.Parse(await _dashboard.Client.GetStringAsync($"api/logs?traceId={traceId}", TestContext.Current.CancellationToken));
            return document.RootElement.GetProperty("data").GetArrayLength() > 0 ? document : null;
        }, Deadline, "the log record");

        var record = Assert.Single(logs.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("Stock for ABC-1 is low", record.GetProperty("body").GetString());
        Assert.Equal("warn", record.GetProperty("severity").GetString());
        Assert.Equal("rt-logs", record.GetProperty("service").GetString());
        Assert.Equal(spanId, record.GetProperty("spanID").GetString());

        using var filtered = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/logs?service=rt-logs&level=error", TestContext.Current.CancellationToken));
        Assert.Equal(0, filtered.RootElement.GetProperty("data").GetArrayLength());
        using var byText = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/logs?q=abc-1", TestContext.Current.CancellationToken));
        Assert.Equal(1, byText.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_are_stored_as_series()
    {
        var meterName = $"roundtrip.metrics.{Guid.NewGuid():N}";
        using var meter = new System.Diagnostics.Metrics.Meter(meterName);
        var orders = meter.CreateCounter<long>("orders.created");
        using (var provider = OtlpExporters.Metrics(_dashboard, "rt-metrics", meterName))
        {
            orders.Add(3, new KeyValuePair<string, object?>("channel", "web"));
            provider.ForceFlush();
        }

        using var series = await Eventually.WaitForAsync(async () =>
        {
            var document = JsonDocument.Parse(await _dashboard.Client.GetStringAsync("api/metrics/series?service=rt-metrics&name=orders.created", TestContext.Current.CancellationToken));
            return document.RootElement.GetProperty("data").GetArrayLength() > 0 ? document : null;
        }, Deadline, "the orders.created series");

        var only = Assert.Single(series.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("Sum", only.GetProperty("kind").GetString());
        Assert.Equal("web", Assert.Single(only.GetProperty("attributes").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal(3, only.GetProperty("points").EnumerateArray().Last().GetProperty("value").GetDouble());
    }

    private static void AssertChildOf(JsonElement span, string traceId, string parentId)
    {
        var reference = Assert.Single(span.GetProperty("references").EnumerateArray());
        Assert.Equal(("CHILD_OF", traceId, parentId),
            (reference.GetProperty("refType").GetString(), reference.GetProperty("traceID").GetString(), reference.GetProperty("spanID").GetString()));
    }

    private static JsonElement Tag(JsonElement span, string key) =>
        span.GetProperty("tags").EnumerateArray().Single(t => t.GetProperty("key").GetString() == key).GetProperty("value");

    private async Task<JsonDocument?> GetTraceAsync(string traceId, int expectedSpans)
    {
        using var response = await _dashboard.Client.GetAsync($"api/traces/{traceId}", TestContext.Current.CancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        if (document.RootElement.GetProperty("data")[0].GetProperty("spans").GetArrayLength() == expectedSpans)
        {
            return document;
        }

        document.Dispose();
        return null;
    }

    private async Task<List<string>> SearchAsync(string query)
    {
        using var document = JsonDocument.Parse(await _dashboard.Client.GetStringAsync($"api/traces?{query}", TestContext.Current.CancellationToken));
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(t => t.GetProperty("traceID").GetString()!)];
    }
}
