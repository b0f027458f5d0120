using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderSystem.Contracts.Inventory;
using OrderSystem.ServiceDefaults.Faults;
using Grpc.Core;
using OrderSystem.Tests.Diagnosis;
using OrderSystem.Tests.Infrastructure;
using OrderSystem.Tests.Inventory;
using static OrderSystem.Tests.Infrastructure.JaegerTrace;

namespace OrderSystem.Tests.Faults;

/// <summary>The dashboard as the fault tests use it: flipping faults through its API and reading the traces they leave.</summary>
internal sealed class FaultHarness(Topology application) : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly HttpClient _dashboard = application.CreateDiagnosticsClient();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public HttpClient Dashboard => _dashboard;

    public async Task SetAsync(string name, bool enabled, IReadOnlyDictionary<string, double>? parameters = null)
    {
        // Switching off must happen even when the test was cancelled: other tests share the topology.
        using var response = await _dashboard.PutAsJsonAsync($"/api/faults/{name}", new { enabled, parameters }, enabled ? Token : CancellationToken.None);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"PUT /api/faults/{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
    }

    /// <summary>W3C trace context for a call made by hand: this process has no SDK to propagate one.</summary>
    public static (string TraceId, Metadata Headers) NewTrace()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        return (traceId, new Metadata { { "traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" } });
    }

    /// <summary>The trace once <paramref name="complete"/> holds for it in the dashboard.</summary>
    public Task<JsonElement> WaitForTraceAsync(string traceId, Func<JsonElement, bool> complete, string what) =>
        _dashboard.WaitForTraceAsync(traceId, complete, Deadline, what);

    /// <summary>Checks one unit of each SKU in a trace of its own; the trace id and its <c>CheckAvailability</c> span.</summary>
    public async Task<(string TraceId, JsonElement Span)> CheckAvailabilityAsync(InventoryService.InventoryServiceClient inventory, params string[] skus)
    {
        var (traceId, headers) = NewTrace();
        await inventory.CheckAvailabilityAsync(InventoryHarness.Check([.. skus.Select(sku => (sku, 1))]), headers, cancellationToken: Token);
        var trace = await WaitForTraceAsync(traceId, trace => Spans(trace).Any(IsCheck), "the CheckAvailability span");
        return (traceId, Spans(trace).First(IsCheck));

        static bool IsCheck(JsonElement span) => span.GetProperty("operationName").GetString() == "CheckAvailability";
    }

    /// <summary>The dashboard's diagnosis of one trace (<c>GET /api/diagnose/traces/{traceId}</c>): its <c>data</c>.</summary>
    public Task<JsonElement> DiagnoseTraceAsync(string traceId) => GetDataAsync($"/api/diagnose/traces/{traceId}");

    /// <summary>The diagnosis of a set (<c>GET /api/diagnose</c>): one service's requests since <paramref name="since"/>, slowest share vs the rest.</summary>
    public Task<JsonElement> DiagnoseSetAsync(string service, string operation, DateTimeOffset since, int slowestPercent = 50) =>
        GetDataAsync($"/api/diagnose?service={Uri.EscapeDataString(service)}&operation={Uri.EscapeDataString(operation)}"
            + $"&start={since.ToUnixTimeMilliseconds() * 1000}&slowestPercent={slowestPercent}");

    /// <summary>The findings of one kind in a diagnosis of a trace.</summary>
    public static JsonElement[] Findings(JsonElement diagnosis, string kind) => DiagnosisServer.Findings(diagnosis, kind);

    public async Task<JsonElement> GetDataAsync(string path)
    {
        using var response = await _dashboard.GetAsync(path, Token);
        var body = await response.Content.ReadAsStringAsync(Token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {body}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("data").Clone();
    }

    public static bool HasFaultEvent(JsonElement span, string fault) =>
        span.GetProperty("logs").EnumerateArray().Any(log =>
        {
            var fields = log.GetProperty("fields").EnumerateArray().ToArray();
            return fields.Any(f => f.GetProperty("key").GetString() == "event" && f.GetProperty("value").GetString() == FaultTelemetry.InjectedEventName)
                && fields.Any(f => f.GetProperty("key").GetString() == FaultTelemetry.NameAttribute && f.GetProperty("value").GetString() == fault);
        });

    public static bool TraceHasFaultEvent(JsonElement trace, string fault) => Spans(trace).Any(span => HasFaultEvent(span, fault));

    public void Dispose() => _dashboard.Dispose();
}
