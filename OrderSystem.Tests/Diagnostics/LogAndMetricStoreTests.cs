using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Tests.Diagnostics;

[Trait("Category", "Unit")]
public sealed class LogAndMetricStoreTests
{
    private static readonly ResourceCatalog Catalog = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Logs_are_found_by_trace_level_and_text_and_the_oldest_are_evicted()
    {
        using var store = new LogStore(Options.Create(new DiagnosticsOptions { MaxLogs = 3 }), _clock);
        var trace = StoredSpans.NewTraceId();
        store.Add([Log("evicted", 9, trace), Log("Order 7 created", 9, trace), Log("Payment declined", 17), Log("debug noise", 5)]);

        Assert.Equal(1, store.EvictedCount);
        Assert.Equal(["Order 7 created"], store.Find(new LogQuery { TraceId = trace }).Select(l => l.Body));
        Assert.Equal(["Payment declined"], store.Find(new LogQuery { MinSeverityNumber = 17 }).Select(l => l.Body));
        Assert.Equal(["Payment declined"], store.Find(new LogQuery { Text = "DECLINED" }).Select(l => l.Body));
        Assert.Equal(["debug noise", "Payment declined", "Order 7 created"], store.Find(new LogQuery()).Select(l => l.Body));
    }

    [Theory]
    [InlineData("warn", 13)]
    [InlineData("Warning", 13)]
    [InlineData("error", 17)]
    [InlineData("trace", 1)]
    public void Level_names_map_to_the_lowest_severity_of_their_range(string level, int expected)
    {
        Assert.True(LogSeverity.TryParseMinimum(level, out var severity));
        Assert.Equal(expected, severity);
        Assert.Equal(level.ToLowerInvariant().Replace("warning", "warn", StringComparison.Ordinal), LogSeverity.Name(severity));
    }

    [Fact]
    public void Metric_series_beyond_the_cap_are_rejected_and_points_per_series_are_bounded()
    {
        var store = new MetricStore(Options.Create(new DiagnosticsOptions { MaxMetricSeries = 2, MaxPointsPerSeries = 3 }), _clock);
        var resource = Catalog.GetResource([new StoredAttribute("service.name", "orders", AttributeValueType.String)]);
        MetricSample Sample(string route, long time) => new(resource, "http.server.request.duration", "", "s", MetricKind.Histogram,
            [new StoredAttribute("http.route", route, AttributeValueType.String)], new MetricPoint(time, 0.5, 2, 1.0));

        var rejected = store.Add([.. Enumerable.Range(0, 5).Select(t => Sample("/a", t)), Sample("/b", 0), Sample("/c", 0)]);

        Assert.Equal(1, rejected);
        Assert.Equal(2, store.SeriesCount);
        var series = store.GetSeries("orders", "http.server.request.duration").Single(s => s.Attributes[0].Value == "/a");
        Assert.Equal([2L, 3, 4], series.Points.Select(p => p.TimeUnixNano));
        Assert.Equal(2, Assert.Single(store.ListMetrics("orders")).SeriesCount);
    }

    private static StoredLog Log(string body, int severity, TraceId traceId = default) => new()
    {
        Body = body,
        SeverityNumber = severity,
        TraceId = traceId,
        Resource = Catalog.GetResource([new StoredAttribute("service.name", "orders", AttributeValueType.String)]),
        Scope = Catalog.GetScope("test", string.Empty),
    };
}
