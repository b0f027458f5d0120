namespace OrderSystem.Diagnostics.Sampling;

/// <summary>What tail sampling decided so far; part of <c>GET /api/stats</c>.</summary>
public sealed record TailSamplingStatistics(
    bool Enabled,
    double KeepRatio,
    int? RatioSpansPerSecond,
    double LatencyThresholdMs,
    long KeptTraces,
    long DroppedTraces,
    long KeptSpans,
    long DroppedSpans,
    long KeptForError,
    long KeptForLatency,
    long KeptByRatio,
    long DroppedOverRate,
    long DecidedEarly,
    int PendingTraces,
    int PendingSpans);
