using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Tests.Diagnostics;

[Trait("Category", "Unit")]
public sealed class TraceStoreTests
{
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Evicts_the_oldest_spans_beyond_max_spans_and_counts_them()
    {
        using var store = Store(new DiagnosticsOptions { MaxSpans = 3 });
        var first = StoredSpans.Create("a");
        var trace = StoredSpans.NewTraceId();
        store.Add([first]);
        store.Add([StoredSpans.Create("b", traceId: trace), StoredSpans.Create("b", traceId: trace), StoredSpans.Create("c")]);

        var statistics = store.GetStatistics();
        Assert.Equal((3, 1L, 4L), (statistics.SpanCount, statistics.EvictedSpans, statistics.ReceivedSpans));
        Assert.Null(store.GetTrace(first.TraceId));
        Assert.Equal(2, store.GetTrace(trace)!.Spans.Count);
        Assert.Empty(store.FindTraces(new TraceQuery { Service = "a" }));
    }

    [Fact]
    public void Evicts_partially_a_trace_whose_oldest_spans_fall_out()
    {
        using var store = Store(new DiagnosticsOptions { MaxSpans = 2 });
        var trace = StoredSpans.NewTraceId();
        var spans = Enumerable.Range(0, 3).Select(i => StoredSpans.Create("a", $"op{i}", traceId: trace)).ToArray();
        store.Add(spans);

        Assert.Equal(["op1", "op2"], store.GetTrace(trace)!.Spans.Select(s => s.Name));
    }

    [Fact]
    public void Evicts_beyond_max_bytes()
    {
        var big = StoredSpans.Attribute("payload", new string('x', 10_000));
        using var store = Store(new DiagnosticsOptions { MaxBytes = 50_000 });
        for (var i = 0; i < 10; i++)
        {
            store.Add([StoredSpans.Create("a", attributes: big)]);
        }

        var statistics = store.GetStatistics();
        Assert.True(statistics.EstimatedBytes <= 50_000, $"{statistics.EstimatedBytes} bytes stored");
        Assert.InRange(statistics.SpanCount, 1, 2);
        Assert.Equal(10, statistics.SpanCount + statistics.EvictedSpans);
    }

    [Fact]
    public void Evicts_by_age_even_when_nothing_new_arrives()
    {
        using var store = Store(new DiagnosticsOptions { MaxAge = TimeSpan.FromMinutes(10) });
        store.Add([StoredSpans.Create("old")]);
        _clock.Advance(TimeSpan.FromMinutes(6));
        store.Add([StoredSpans.Create("young")]);
        _clock.Advance(TimeSpan.FromMinutes(5));

        store.EvictExpired();

        Assert.Equal(["young"], store.GetServices());
        Assert.Equal(1, store.GetStatistics().EvictedSpans);
    }

    [Fact]
    public void Search_requires_every_criterion_on_one_span_and_returns_newest_first()
    {
        using var store = Store(new DiagnosticsOptions());
        var slowOk = StoredSpans.Create("orders", "create", durationMs: 900, attributes: StoredSpans.Attribute("order.id", "1"));
        var fastError = StoredSpans.Create("orders", "create", durationMs: 5, error: true, attributes: StoredSpans.Attribute("order.id", "2"));
        var other = StoredSpans.Create("payments", "charge", durationMs: 900, attributes: StoredSpans.Attribute("order.id", "1"));
        store.Add([slowOk, fastError, other]);

        Assert.Equal([fastError.TraceId, slowOk.TraceId], Find(store, new TraceQuery { Service = "orders" }));
        Assert.Equal([slowOk.TraceId], Find(store, new TraceQuery { Service = "orders", MinDurationNano = 100_000_000 }));
        Assert.Equal([fastError.TraceId], Find(store, new TraceQuery { Service = "orders", ErrorsOnly = true }));
        Assert.Equal([fastError.TraceId], Find(store, new TraceQuery { Tags = [KeyValuePair.Create("error", "true")] }));
        Assert.Equal([other.TraceId, slowOk.TraceId], Find(store, new TraceQuery { Tags = [KeyValuePair.Create("order.id", "1")] }));
        Assert.Empty(Find(store, new TraceQuery { Service = "payments", Tags = [KeyValuePair.Create("order.id", "2")] }));
        Assert.Equal([other.TraceId], Find(store, new TraceQuery { Limit = 1 }));
        Assert.Empty(Find(store, new TraceQuery { Service = "orders", Operation = "charge" }));
    }

    [Fact]
    public void Search_on_long_unindexed_values_still_finds_the_span()
    {
        using var store = Store(new DiagnosticsOptions());
        var url = "https://shop.example/" + new string('p', 300);
        var span = StoredSpans.Create("gateway", attributes: StoredSpans.Attribute("url.full", url));
        store.Add([span, StoredSpans.Create("gateway")]);

        Assert.Equal([span.TraceId], Find(store, new TraceQuery { Tags = [KeyValuePair.Create("url.full", url)] }));
    }

    [Fact]
    public void Search_stays_correct_after_index_compaction()
    {
        using var store = Store(new DiagnosticsOptions { MaxSpans = 2_000 });
        var last = default(StoredSpan)!;
        for (var i = 0; i < 10_000; i++)
        {
            last = StoredSpans.Create(i % 2 == 0 ? "even" : "odd", attributes: StoredSpans.Attribute("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            store.Add([last]);
        }

        Assert.Equal(1_000, store.FindTraces(new TraceQuery { Service = "odd", Limit = TraceQuery.MaxLimit }).Count);
        Assert.Empty(store.FindTraces(new TraceQuery { Tags = [KeyValuePair.Create("i", "42")] }));
        Assert.Equal([last.TraceId], Find(store, new TraceQuery { Tags = [KeyValuePair.Create("i", "9999")] }));
    }

    [Fact]
    public void Dependencies_count_calls_and_errors_between_services()
    {
        using var store = Store(new DiagnosticsOptions());
        var trace = StoredSpans.NewTraceId();
        var gateway = StoredSpans.Create("gateway", traceId: trace);
        var orders = StoredSpans.Create("orders", traceId: trace, parent: gateway.SpanId, error: true);
        var ordersInternal = StoredSpans.Create("orders", traceId: trace, parent: orders.SpanId);
        var inventory = StoredSpans.Create("inventory", traceId: trace, parent: ordersInternal.SpanId);
        store.Add([gateway, orders, ordersInternal, inventory]);

        var dependencies = store.GetDependencies(0, long.MaxValue);

        Assert.Equal(
            [new ServiceDependency("gateway", "orders", 1, 1), new ServiceDependency("orders", "inventory", 1, 0)],
            dependencies);
    }

    private static List<TraceId> Find(TraceStore store, TraceQuery query) => [.. store.FindTraces(query).Select(t => t.TraceId)];

    private TraceStore Store(DiagnosticsOptions options) => new(Options.Create(options), _clock);
}
