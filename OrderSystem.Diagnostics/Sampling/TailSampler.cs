using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Sampling;

/// <summary>
/// Tail sampling in front of the <see cref="TraceStore"/> and the forwarder (<see cref="KeptSpans"/>), as a collector's
/// tail-sampling processor does: the spans
/// of a trace wait until the trace looks complete (no new span for <see cref="TailSamplingOptions.DecisionWait"/>,
/// or <see cref="TailSamplingOptions.RootGrace"/> after its root span arrived), then the whole trace is kept when a
/// span is in error or it lasted at least the latency threshold, and otherwise kept with probability
/// <see cref="TailSamplingOptions.KeepRatio"/> decided by a hash of the trace id, so that all its spans, even late
/// ones, share one fate. Errors are always kept: a late error span of a dropped trace is stored too. Memory is
/// bounded: past the pending limits the longest-waiting traces are decided early, by the same rules. With
/// <see cref="TailSamplingOptions.RatioSpansPerSecond"/>, the traces kept for the ratio also draw their spans from a
/// <see cref="SpanBudget"/>, as a collector's rate-limiting policy does. When disabled, every span is kept at once.
/// </summary>
public sealed class TailSampler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TraceId, PendingTrace> _pending = [];
    private readonly LinkedList<PendingTrace> _byLastArrival = new();
    private readonly Queue<(TraceId TraceId, long ArrivedAtMs)> _roots = new();
    private readonly Dictionary<TraceId, bool> _decisions = [];
    private readonly Queue<TraceId> _decisionOrder = new();
    private readonly KeptSpans _kept;
    private readonly TimeProvider _timeProvider;
    private readonly TailSamplingOptions _options;
    private readonly long _latencyThresholdNano;
    private readonly SpanBudget? _ratioBudget;
    private int _pendingSpans;
    private long _keptTraces;
    private long _droppedTraces;
    private long _keptSpans;
    private long _droppedSpans;
    private long _keptForError;
    private long _keptForLatency;
    private long _keptByRatio;
    private long _droppedOverRate;
    private long _decidedEarly;

    public TailSampler(IOptions<TailSamplingOptions> options, KeptSpans kept, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _kept = kept;
        _timeProvider = timeProvider;
        _latencyThresholdNano = (long)(_options.LatencyThresholdMs * 1_000_000);
        _ratioBudget = _options.RatioSpansPerSecond is { } spansPerSecond ? new SpanBudget(spansPerSecond, timeProvider) : null;
    }

    public bool IsEnabled => _options.Enabled == true;

    /// <summary>Whether a trace that is neither failed nor slow falls in the kept share: a hash of its id below the ratio.</summary>
    public static bool IsInKeptShare(TraceId traceId, double keepRatio)
    {
        // SplitMix64's finalizer over both halves: independent of the head sampler's TraceIdRatioBased choice,
        // which compares the id's first 8 bytes with the ratio, so that the two ratios multiply.
        var x = traceId.High ^ (traceId.Low * 0x9E3779B97F4A7C15UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (x >> 11) * (1.0 / (1UL << 53)) < keepRatio;
    }

    public void Add(IReadOnlyList<ReceivedSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (!IsEnabled)
        {
            _kept.Add(spans);
            return;
        }

        var kept = new List<ReceivedSpan>();
        var nowMs = NowMs();
        lock (_gate)
        {
            foreach (var span in spans)
            {
                if (_decisions.TryGetValue(span.Span.TraceId, out var keep))
                {
                    AddLate(span, keep, kept);
                }
                else
                {
                    Buffer(span, nowMs);
                }
            }

            while (_pending.Count > _options.MaxPendingTraces || _pendingSpans > _options.MaxPendingSpans)
            {
                _decidedEarly++;
                Decide(_byLastArrival.First!.Value, kept);
            }
        }

        Keep(kept);
    }

    /// <summary>Decides the traces whose wait is over; called periodically by <see cref="TailSamplingService"/>.</summary>
    public void DecideDue()
    {
        var kept = new List<ReceivedSpan>();
        var nowMs = NowMs();
        var waitMs = (long)_options.DecisionWait.TotalMilliseconds;
        var graceMs = (long)_options.RootGrace.TotalMilliseconds;
        lock (_gate)
        {
            while (_byLastArrival.First is { } quiet && nowMs - quiet.Value.LastArrivalMs >= waitMs)
            {
                Decide(quiet.Value, kept);
            }

            while (_roots.TryPeek(out var root) && nowMs - root.ArrivedAtMs >= graceMs)
            {
                _roots.Dequeue();
                if (_pending.TryGetValue(root.TraceId, out var trace))
                {
                    Decide(trace, kept);
                }
            }
        }

        Keep(kept);
    }

    /// <summary>Decides every pending trace now, e.g. when the dashboard stops.</summary>
    public void DecideAll()
    {
        var kept = new List<ReceivedSpan>();
        lock (_gate)
        {
            while (_byLastArrival.First is { } next)
            {
                Decide(next.Value, kept);
            }

            _roots.Clear();
        }

        Keep(kept);
    }

    public TailSamplingStatistics Snapshot()
    {
        lock (_gate)
        {
            return new TailSamplingStatistics(
                IsEnabled,
                _options.KeepRatio,
                _options.RatioSpansPerSecond,
                _options.LatencyThresholdMs,
                _keptTraces,
                _droppedTraces,
                _keptSpans,
                _droppedSpans,
                _keptForError,
                _keptForLatency,
                _keptByRatio,
                _droppedOverRate,
                _decidedEarly,
                _pending.Count,
                _pendingSpans);
        }
    }

    private void Buffer(ReceivedSpan received, long nowMs)
    {
        var span = received.Span;
        if (_pending.TryGetValue(span.TraceId, out var trace))
        {
            _byLastArrival.Remove(trace.Node);
        }
        else
        {
            trace = new PendingTrace(span.TraceId);
            _pending.Add(span.TraceId, trace);
        }

        trace.Add(received, nowMs);
        _byLastArrival.AddLast(trace.Node);
        _pendingSpans++;
        if (span.ParentSpanId.IsEmpty)
        {
            _roots.Enqueue((span.TraceId, nowMs));
        }
    }

    private void AddLate(ReceivedSpan span, bool keep, List<ReceivedSpan> kept)
    {
        if (!keep && span.Span.IsError)
        {
            // Errors are always kept: the trace's fate changes from dropped to kept for this and later spans.
            _decisions[span.Span.TraceId] = keep = true;
            _droppedTraces--;
            _keptTraces++;
            _keptForError++;
        }

        if (keep)
        {
            kept.Add(span);
            _keptSpans++;
        }
        else
        {
            _droppedSpans++;
        }
    }

    private void Decide(PendingTrace trace, List<ReceivedSpan> kept)
    {
        _pending.Remove(trace.TraceId);
        _byLastArrival.Remove(trace.Node);
        _pendingSpans -= trace.Spans.Count;

        bool keep;
        if (trace.HasError)
        {
            keep = true;
            _keptForError++;
        }
        else if (trace.DurationNano >= _latencyThresholdNano)
        {
            keep = true;
            _keptForLatency++;
        }
        else if (IsInKeptShare(trace.TraceId, _options.KeepRatio))
        {
            keep = _ratioBudget?.TryTake(trace.Spans.Count) ?? true;
            if (keep)
            {
                _keptByRatio++;
            }
            else
            {
                _droppedOverRate++;
            }
        }
        else
        {
            keep = false;
        }

        Remember(trace.TraceId, keep);
        if (keep)
        {
            _keptTraces++;
            _keptSpans += trace.Spans.Count;
            kept.AddRange(trace.Spans);
        }
        else
        {
            _droppedTraces++;
            _droppedSpans += trace.Spans.Count;
        }
    }

    private void Remember(TraceId traceId, bool keep)
    {
        if (_options.RememberedDecisions == 0)
        {
            return;
        }

        if (_decisions.TryAdd(traceId, keep))
        {
            _decisionOrder.Enqueue(traceId);
        }
        else
        {
            _decisions[traceId] = keep;
        }

        while (_decisionOrder.Count > _options.RememberedDecisions)
        {
            _decisions.Remove(_decisionOrder.Dequeue());
        }
    }

    private void Keep(List<ReceivedSpan> kept)
    {
        if (kept.Count > 0)
        {
            _kept.Add(kept);
        }
    }

    private long NowMs() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed class PendingTrace
    {
        private long _startNano = long.MaxValue;
        private long _endNano = long.MinValue;

        public PendingTrace(TraceId traceId)
        {
            TraceId = traceId;
            Node = new LinkedListNode<PendingTrace>(this);
        }

        public TraceId TraceId { get; }

        public LinkedListNode<PendingTrace> Node { get; }

        public List<ReceivedSpan> Spans { get; } = [];

        public bool HasError { get; private set; }

        public long LastArrivalMs { get; private set; }

        public long DurationNano => Spans.Count == 0 ? 0 : _endNano - _startNano;

        public void Add(ReceivedSpan received, long nowMs)
        {
            var span = received.Span;
            Spans.Add(received);
            HasError |= span.IsError;
            _startNano = Math.Min(_startNano, span.StartUnixNano);
            _endNano = Math.Max(_endNano, span.EndUnixNano);
            LastArrivalMs = nowMs;
        }
    }
}
