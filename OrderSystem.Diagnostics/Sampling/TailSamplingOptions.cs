using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Diagnostics.Sampling;

/// <summary>Tail sampling of received traces before they are stored and forwarded, bound from <c>Diagnostics:TailSampling</c>.</summary>
public sealed class TailSamplingOptions
{
    public const string SectionName = "Diagnostics:TailSampling";

    /// <summary>
    /// Unset, it is on except in the Development environment, where every trace is worth seeing (and forwarding to
    /// the Aspire dashboard); <see cref="SamplingServiceCollectionExtensions.AddTailSampling"/> resolves it at start.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Traces lasting at least this long (first span start to last span end) are always kept.</summary>
    [Range(0.0, 86_400_000.0)]
    public double LatencyThresholdMs { get; set; } = 1_000;

    /// <summary>Share of the other traces (no error, faster than the threshold) kept, chosen by trace id.</summary>
    [Range(0.0, 1.0)]
    public double KeepRatio { get; set; } = 0.1;

    /// <summary>
    /// Spans a second that the traces kept for <see cref="KeepRatio"/> may add at most, a second's worth at once;
    /// beyond, such a trace is dropped as if outside the share. Failed and slow traces are kept whatever it says.
    /// Unset, no limit. What is kept is also forwarded, so this bounds what the Aspire dashboard is sent under load.
    /// </summary>
    [Range(1, 10_000_000)]
    public int? RatioSpansPerSecond { get; set; }

    /// <summary>A trace is decided once no span of it has arrived for this long.</summary>
    public TimeSpan DecisionWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>...or this long after its root span arrived, as the root usually ends (and is exported) last.</summary>
    public TimeSpan RootGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Traces waiting for a decision at most; beyond, the longest waiting are decided at once.</summary>
    [Range(1, 10_000_000)]
    public int MaxPendingTraces { get; set; } = 20_000;

    /// <summary>Spans waiting for a decision at most, whatever the number of traces.</summary>
    [Range(1, 100_000_000)]
    public int MaxPendingSpans { get; set; } = 500_000;

    /// <summary>Decisions remembered so that spans arriving after their trace was decided share its fate.</summary>
    [Range(0, 10_000_000)]
    public int RememberedDecisions { get; set; } = 100_000;
}
