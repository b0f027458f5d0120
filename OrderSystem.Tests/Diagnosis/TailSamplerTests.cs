using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;
using OrderSystem.Tests.Diagnostics;

namespace OrderSystem.Tests.Diagnosis;

/// <summary>The tail sampler in front of a real store (and a forwarder with nowhere to forward), on a clock the tests move.</summary>
[Trait("Category", "Unit")]
public sealed class TailSamplerTests : IDisposable
{
    private readonly ManualTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TraceStore _store;
    private readonly ServiceProvider _httpClients = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private readonly KeptSpans _kept;
    private readonly Random _ids = new(20250601);

    public TailSamplerTests()
    {
        var options = Options.Create(new DiagnosticsOptions());
        _store = new TraceStore(options, _time);
        var forwarder = new OtlpForwarder(options, _httpClients.GetRequiredService<IHttpClientFactory>(), new ReceiverStatistics(), NullLogger<OtlpForwarder>.Instance);
        _kept = new KeptSpans(_store, forwarder);
    }

    public void Dispose()
    {
        _store.Dispose();
        _httpClients.Dispose();
    }

    [Fact]
    public void Every_error_and_slow_trace_is_kept_and_a_deterministic_share_of_the_rest()
    {
        var sampler = Sampler(keepRatio: 0.1);
        var normal = Traces(2_000, rootMs: 50, error: false);
        var failed = Traces(100, rootMs: 50, error: true);
        var slow = Traces(100, rootMs: 1_500, error: false);
        var all = normal.Concat(failed).Concat(slow).ToList();
        // Children first, roots in a later export, as SDKs export spans when they end.
        sampler.Add([.. all.Select(t => t.Child)]);
        sampler.Add([.. all.Select(t => t.Root)]);

        sampler.DecideDue();
        Assert.Equal(0, _store.GetStatistics().SpanCount);
        Assert.Equal((2_200, 4_400), (sampler.Snapshot().PendingTraces, sampler.Snapshot().PendingSpans));

        _time.Advance(TimeSpan.FromSeconds(1));
        sampler.DecideDue();

        Assert.All(failed.Concat(slow), t => Assert.Equal(2, _store.GetTrace(t.Id)?.Spans.Count));
        var expectedNormal = normal.Where(t => TailSampler.IsInKeptShare(t.Id, 0.1)).Select(t => t.Id).ToHashSet();
        var keptNormal = normal.Where(t => _store.GetTrace(t.Id) is not null).Select(t => t.Id).ToHashSet();
        Assert.Equal(expectedNormal, keptNormal);
        Assert.InRange(keptNormal.Count, 150, 250);
        Assert.All(keptNormal, id => Assert.Equal(2, _store.GetTrace(id)!.Spans.Count));

        var statistics = sampler.Snapshot();
        Assert.Equal(
            new TailSamplingStatistics(true, 0.1, null, 1_000, 200 + keptNormal.Count, 2_000 - keptNormal.Count, 2 * (200 + keptNormal.Count), 2 * (2_000 - keptNormal.Count), 100, 100, keptNormal.Count, 0, 0, 0, 0),
            statistics);
    }

    [Fact]
    public void A_trace_is_decided_once_no_span_arrived_for_the_decision_wait()
    {
        var sampler = Sampler(keepRatio: 1);
        var trace = Traces(1, rootMs: 50, error: false)[0];
        sampler.Add([trace.Child]);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        sampler.DecideDue();
        Assert.Equal(1, sampler.Snapshot().PendingTraces);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        sampler.DecideDue();
        Assert.Equal(0, sampler.Snapshot().PendingTraces);
        Assert.NotNull(_store.GetTrace(trace.Id));
    }

    [Fact]
    public void Spans_arriving_after_the_decision_share_the_fate_of_their_trace_but_errors_are_kept()
    {
        var sampler = Sampler(keepRatio: 0.5);
        var candidates = Traces(50, rootMs: 50, error: false);
        var kept = candidates.First(t => TailSampler.IsInKeptShare(t.Id, 0.5));
        var dropped = candidates.First(t => !TailSampler.IsInKeptShare(t.Id, 0.5));
        sampler.Add([kept.Root, dropped.Root]);
        _time.Advance(TimeSpan.FromSeconds(1));
        sampler.DecideDue();

        sampler.Add([kept.Child, dropped.Child]);
        Assert.Equal(2, _store.GetTrace(kept.Id)!.Spans.Count);
        Assert.Null(_store.GetTrace(dropped.Id));

        var lateError = StoredSpans.Create("payments", "POST /api/payments", dropped.Id, dropped.Root.SpanId, error: true);
        sampler.Add([lateError]);
        Assert.Same(lateError, Assert.Single(_store.GetTrace(dropped.Id)!.Spans));
        var statistics = sampler.Snapshot();
        Assert.Equal((2L, 0L, 1L), (statistics.KeptTraces, statistics.DroppedTraces, statistics.KeptForError));
    }

    [Fact]
    public void Pending_traces_and_spans_stay_within_their_limits_and_errors_decided_early_are_kept()
    {
        var sampler = Sampler(keepRatio: 0, maxPendingTraces: 10, maxPendingSpans: 20);
        var traces = Enumerable.Range(0, 100).Select(i => Traces(1, rootMs: 50, error: i % 10 == 0)[0]).ToList();
        foreach (var trace in traces)
        {
            sampler.Add([trace.Child]);
            Assert.InRange(sampler.Snapshot().PendingTraces, 1, 10);
        }

        Assert.Equal(90, sampler.Snapshot().DecidedEarly);
        var big = NewTraceId();
        sampler.Add([.. Enumerable.Range(0, 30).Select(_ => StoredSpans.Create("orders", "SELECT", big, new SpanId(7), error: false))]);
        Assert.InRange(sampler.Snapshot().PendingSpans, 0, 20);

        sampler.DecideAll();
        Assert.Equal((0, 0), (sampler.Snapshot().PendingTraces, sampler.Snapshot().PendingSpans));
        Assert.All(traces.Where(t => t.Child.IsError), t => Assert.NotNull(_store.GetTrace(t.Id)));
        Assert.Equal(10, _store.GetStatistics().TraceCount);
    }

    [Fact]
    public void Disabled_it_stores_every_span_at_once()
    {
        var sampler = new TailSampler(Options.Create(new TailSamplingOptions { Enabled = false }), _kept, _time);
        var trace = Traces(1, rootMs: 50, error: false)[0];

        sampler.Add([trace.Root, trace.Child]);

        Assert.Equal(2, _store.GetTrace(trace.Id)!.Spans.Count);
        Assert.Equal(new TailSamplingStatistics(false, 0.1, null, 1_000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), sampler.Snapshot());
    }

    [Fact]
    public void With_a_rate_the_share_s_traces_draw_their_spans_from_it_while_failed_and_slow_ones_are_kept_whatever_it_says()
    {
        // Every ordinary trace is in the share; 10 spans a second is five of these two-span traces.
        var sampler = Sampler(keepRatio: 1, ratioSpansPerSecond: 10);
        var first = Traces(8, rootMs: 50, error: false);
        var failed = Traces(3, rootMs: 50, error: true);
        var slow = Traces(3, rootMs: 1_500, error: false);
        AddAndDecide(sampler, [.. first, .. failed, .. slow]);

        Assert.Equal(5, first.Count(t => _store.GetTrace(t.Id) is not null));
        Assert.All(failed.Concat(slow), t => Assert.Equal(2, _store.GetTrace(t.Id)?.Spans.Count));
        Assert.Equal((5L, 3L, 3L, 3L), Counts(sampler.Snapshot()));

        // However long the wait, the bucket holds a second's worth at most.
        _time.Advance(TimeSpan.FromSeconds(30));
        var later = Traces(8, rootMs: 50, error: false);
        AddAndDecide(sampler, later);
        Assert.Equal(5, later.Count(t => _store.GetTrace(t.Id) is not null));
        Assert.Equal((10L, 3L, 3L, 6L), Counts(sampler.Snapshot()));

        static (long KeptByRatio, long KeptForError, long KeptForLatency, long DroppedOverRate) Counts(TailSamplingStatistics statistics) =>
            (statistics.KeptByRatio, statistics.KeptForError, statistics.KeptForLatency, statistics.DroppedOverRate);
    }

    [Fact]
    public void A_trace_larger_than_a_second_s_worth_of_spans_needs_the_whole_budget()
    {
        var budget = new SpanBudget(10, _time);

        Assert.True(budget.TryTake(25));
        Assert.False(budget.TryTake(1));
        // Half a second refills half the bucket: not enough for the large trace, enough for five spans.
        _time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.False(budget.TryTake(25));
        Assert.True(budget.TryTake(5));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(budget.TryTake(25));
    }

    [Fact]
    public void The_kept_share_follows_the_ratio_and_ignores_the_head_samplers_half_of_the_id()
    {
        var ids = Enumerable.Range(0, 20_000).Select(_ => NewTraceId()).ToList();
        foreach (var ratio in new[] { 0.01, 0.1, 0.5 })
        {
            var share = ids.Count(id => TailSampler.IsInKeptShare(id, ratio)) / (double)ids.Count;
            Assert.InRange(share, ratio * 0.85, ratio * 1.15);
        }

        // TraceIdRatioBased head sampling keeps ids whose first 8 bytes are small: the tail share among them is still the ratio.
        var headSampled = ids.Where(id => id.High < ulong.MaxValue / 4).ToList();
        Assert.InRange(headSampled.Count(id => TailSampler.IsInKeptShare(id, 0.1)) / (double)headSampled.Count, 0.085, 0.115);
        Assert.All(ids, id => Assert.True(TailSampler.IsInKeptShare(id, 1)));
        Assert.All(ids, id => Assert.False(TailSampler.IsInKeptShare(id, 0)));
    }

    private TailSampler Sampler(double keepRatio, int maxPendingTraces = 20_000, int maxPendingSpans = 500_000, int? ratioSpansPerSecond = null) =>
        new(Options.Create(new TailSamplingOptions
        {
            Enabled = true,
            KeepRatio = keepRatio,
            RatioSpansPerSecond = ratioSpansPerSecond,
            LatencyThresholdMs = 1_000,
            DecisionWait = TimeSpan.FromSeconds(5),
            RootGrace = TimeSpan.FromSeconds(1),
            MaxPendingTraces = maxPendingTraces,
            MaxPendingSpans = maxPendingSpans,
        }), _kept, _time);

    /// <summary>Each trace's spans in one export, then decided as their root's grace runs out.</summary>
    private void AddAndDecide(TailSampler sampler, IReadOnlyList<(TraceId Id, StoredSpan Root, StoredSpan Child)> traces)
    {
        sampler.Add([.. traces.SelectMany(t => new[] { t.Child, t.Root })]);
        _time.Advance(TimeSpan.FromSeconds(1));
        sampler.DecideDue();
    }

    private List<(TraceId Id, StoredSpan Root, StoredSpan Child)> Traces(int count, long rootMs, bool error) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var id = NewTraceId();
            var root = StoredSpans.Create("gateway", "POST /api/orders", id, durationMs: rootMs);
            var child = StoredSpans.Create("orders", "orders.OrderService/PlaceOrder", id, root.SpanId, durationMs: 10, error: error);
            return (id, root, child);
        })];

    private TraceId NewTraceId() => new((ulong)_ids.NextInt64(1, long.MaxValue) * 2, (ulong)_ids.NextInt64(1, long.MaxValue) * 2);
}
