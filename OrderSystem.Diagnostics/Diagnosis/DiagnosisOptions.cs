using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>Thresholds of the finding rules, bound from <c>Diagnostics:Diagnosis</c>.</summary>
public sealed class DiagnosisOptions
{
    public const string SectionName = "Diagnostics:Diagnosis";

    /// <summary>A statement is slow when it takes longer than this many times its baseline...</summary>
    [Range(1.0, 1_000.0)]
    public double SlowStatementFactor { get; set; } = 5;

    /// <summary>...and longer than its baseline plus this margin, so that sub-millisecond jitter is no finding.</summary>
    [Range(0.0, 3_600_000.0)]
    public double SlowStatementMarginMs { get; set; } = 50;

    /// <summary>Executions of a statement in the store needed before its median counts as a baseline.</summary>
    [Range(1, 1_000_000)]
    public int BaselineMinSamples { get; set; } = 5;

    /// <summary>How long store-wide statement baselines are reused before they are computed again.</summary>
    public TimeSpan BaselineRefreshInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Newest spans examined to compute the baselines; bounds the cost on a very large store.</summary>
    [Range(1, int.MaxValue)]
    public int BaselineMaxSpans { get; set; } = 1_000_000;

    /// <summary>Sibling database calls with the same normalized statement under one parent that make an N+1.</summary>
    [Range(2, 100_000)]
    public int NPlusOneMinCalls { get; set; } = 5;

    /// <summary>A locking statement (<c>FOR UPDATE</c>, <c>LOCK TABLE</c>...) slower than this waited on a lock.</summary>
    [Range(1.0, 3_600_000.0)]
    public double LockWaitMs { get; set; } = 500;

    /// <summary>Sibling client calls to one target that make a retry storm, and how many of them must have failed.</summary>
    [Range(2, 100_000)]
    public int RetryStormMinAttempts { get; set; } = 3;

    [Range(1, 100_000)]
    public int RetryStormMinFailures { get; set; } = 2;

    /// <summary>Cache lookups in a trace needed before its miss ratio is judged, and the ratio that is a finding.</summary>
    [Range(1, 1_000_000)]
    public int CacheMinLookups { get; set; } = 5;

    [Range(0.0, 1.0)]
    public double CacheMissRatio { get; set; } = 0.5;

    /// <summary>Time from a message's producer span ending to its consumer span starting that is a finding.</summary>
    [Range(0.0, 86_400_000.0)]
    public double MessagingLagMs { get; set; } = 1_000;

    /// <summary>Traces a set analysis or window comparison reads at most.</summary>
    [Range(1, 1_000_000)]
    public int MaxTracesPerAnalysis { get; set; } = 50_000;
}
