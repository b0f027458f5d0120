using System.Buffers.Binary;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Resource.V1;
using OpenTelemetry.Proto.Trace.V1;

namespace OrderSystem.Benchmarks.Diagnostics;

/// <summary>
/// OTLP export requests shaped like OrderSystem's traffic: 8 spans per checkout trace over five services, HTTP,
/// gRPC, database, cache and messaging attributes, a unique order id per trace, 2% errors, 1% slow traces.
/// Deterministic for a given seed so that runs are comparable.
/// </summary>
internal sealed class SyntheticTraces(int seed)
{
    public const int SpansPerTrace = 8;
    public static readonly string[] Services = ["gateway", "orders", "inventory", "payments", "notifications"];

    private readonly Random _random = new(seed);
    private readonly Resource[] _resources = [.. Services.Select(s => new Resource
    {
        Attributes = { Text("service.name", s), Text("service.instance.id", $"{s}-1"), Text("telemetry.sdk.language", "dotnet") },
    })];

    private long _orderNumber;

    public long StartUnixNano { get; set; } = 1_750_000_000_000_000_000;

    /// <summary>One request holding <paramref name="traces"/> traces, grouped by resource as an SDK batch would be.</summary>
    public ExportTraceServiceRequest CreateRequest(int traces)
    {
        var spansByService = Services.Select(_ => new ScopeSpans { Scope = new InstrumentationScope { Name = "OrderSystem", Version = "1.0.0" } }).ToArray();
        for (var i = 0; i < traces; i++)
        {
            AddTrace(spansByService);
        }

        var request = new ExportTraceServiceRequest();
        for (var s = 0; s < Services.Length; s++)
        {
            request.ResourceSpans.Add(new ResourceSpans { Resource = _resources[s], ScopeSpans = { spansByService[s] } });
        }

        return request;
    }

    private void AddTrace(ScopeSpans[] spansByService)
    {
        var traceId = new byte[16];
        _random.NextBytes(traceId);
        var orderId = (++_orderNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var failed = _random.NextDouble() < 0.02;
        var slow = _random.NextDouble() < 0.01;
        var start = StartUnixNano + (_orderNumber * 1_000_000);
        var total = (long)((slow ? 1_500 : 20 + (_random.NextDouble() * 180)) * 1_000_000);

        var root = NewSpan(traceId, null, "POST /orders", Span.Types.SpanKind.Server, start, total, failed,
            Text("http.request.method", "POST"), Text("http.route", "/orders"), Int("http.response.status_code", failed ? 502 : 201),
            Text("url.path", "/orders"), Text("order.id", orderId), Text("user_agent.original", "checkout-client/1.0"));
        var call = NewSpan(traceId, root, "orders.OrderService/Create", Span.Types.SpanKind.Client, start + 1_000_000, total - 2_000_000, failed,
            Text("rpc.system", "grpc"), Text("rpc.service", "orders.OrderService"), Text("rpc.method", "Create"), Text("server.address", "orders"), Int("server.port", 5002));
        var create = NewSpan(traceId, call, "orders.OrderService/Create", Span.Types.SpanKind.Server, start + 2_000_000, total - 4_000_000, failed,
            Text("rpc.system", "grpc"), Text("rpc.service", "orders.OrderService"), Text("rpc.method", "Create"), Text("order.id", orderId), Int("rpc.grpc.status_code", failed ? 14 : 0));
        var insert = NewSpan(traceId, create, "INSERT orders", Span.Types.SpanKind.Client, start + 3_000_000, 4_000_000, false,
            Text("db.system.name", "postgresql"), Text("db.namespace", "orders"), Text("db.operation.name", "INSERT"), Text("db.query.text", "INSERT INTO orders (id, customer_id, total) VALUES ($1, $2, $3)"), Text("server.address", "127.0.0.1"));
        var reserve = NewSpan(traceId, create, "inventory.InventoryService/Reserve", Span.Types.SpanKind.Server, start + 8_000_000, total / 3, failed,
            Text("rpc.system", "grpc"), Text("rpc.service", "inventory.InventoryService"), Text("rpc.method", "Reserve"), Text("order.id", orderId), Int("inventory.items", 1 + _random.Next(5)));
        var cache = NewSpan(traceId, reserve, "GET", Span.Types.SpanKind.Client, start + 9_000_000, 500_000, false,
            Text("db.system.name", "redis"), Text("db.operation.name", "GET"), Text("db.query.text", "GET stock:sku-" + _random.Next(1_000)), Text("server.address", "127.0.0.1"));
        var charge = NewSpan(traceId, create, "POST /payments", Span.Types.SpanKind.Server, start + 10_000_000 + (total / 3), total / 3, false,
            Text("http.request.method", "POST"), Text("http.route", "/payments"), Int("http.response.status_code", 200), Text("order.id", orderId), Double("payment.amount", Math.Round(_random.NextDouble() * 500, 2)));
        var notify = NewSpan(traceId, create, "order.events process", Span.Types.SpanKind.Consumer, start + total, 2_000_000, false,
            Text("messaging.system", "kafka"), Text("messaging.destination.name", "order.events"), Text("messaging.operation.type", "process"), Text("order.id", orderId));

        spansByService[0].Spans.Add(root);
        spansByService[0].Spans.Add(call);
        spansByService[1].Spans.Add(create);
        spansByService[1].Spans.Add(insert);
        spansByService[2].Spans.Add(reserve);
        spansByService[2].Spans.Add(cache);
        spansByService[3].Spans.Add(charge);
        spansByService[4].Spans.Add(notify);
    }

    private Span NewSpan(byte[] traceId, Span? parent, string name, Span.Types.SpanKind kind, long start, long duration, bool failed, params KeyValue[] attributes)
    {
        var spanId = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(spanId, _random.NextInt64(1, long.MaxValue));
        var span = new Span
        {
            TraceId = ByteString.CopyFrom(traceId),
            SpanId = ByteString.CopyFrom(spanId),
            ParentSpanId = parent?.SpanId ?? ByteString.Empty,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = (ulong)start,
            EndTimeUnixNano = (ulong)(start + duration),
            Status = failed ? new Status { Code = Status.Types.StatusCode.Error, Message = "Unavailable" } : null,
        };
        span.Attributes.Add(attributes);
        return span;
    }

    private static KeyValue Text(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    private static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    private static KeyValue Double(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };
}
