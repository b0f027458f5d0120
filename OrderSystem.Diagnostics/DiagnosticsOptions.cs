using System.ComponentModel.DataAnnotations;
using OrderSystem.Diagnostics.Authentication;

namespace OrderSystem.Diagnostics;

/// <summary>The dashboard's limits and peers, bound from the <c>Dashboard</c> configuration section.</summary>
public sealed class DiagnosticsOptions
{
    public const string SectionName = "Diagnostics";

    /// <summary>Spans kept in memory; the oldest received are evicted first.</summary>
    [Range(1, int.MaxValue)]
    public int MaxSpans { get; set; } = 1_000_000;

    /// <summary>Estimated bytes the stored spans may occupy (objects, attributes and index entries).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>How long a span, log record or metric point is kept after it was received.</summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Largest OTLP request body accepted, compressed or after decompression.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxRequestBytes { get; set; } = 8 * 1024 * 1024;

    [Range(1, int.MaxValue)]
    public int MaxLogs { get; set; } = 200_000;

    [Range(1, int.MaxValue)]
    public int MaxMetricSeries { get; set; } = 10_000;

    [Range(2, 100_000)]
    public int MaxPointsPerSeries { get; set; } = 720;

    /// <summary>The Aspire dashboard's address: each trace in the UI links to the same trace there. None: no link.</summary>
    public Uri? AspireDashboardUrl { get; set; }

    public ForwardOptions Forward { get; set; } = new();

    /// <summary>How the UI and the API authenticate users.</summary>
    public FrontendOptions Frontend { get; set; } = new();

    /// <summary>How the OTLP receiver authenticates exporters.</summary>
    public OtlpOptions Otlp { get; set; } = new();
}

/// <summary>Optional relay of everything received to another OTLP/HTTP receiver (a collector, Jaeger, Tempo...).</summary>
public sealed class ForwardOptions
{
    /// <summary>Base address such as <c>http://localhost:4318</c>; <c>/v1/traces</c> etc. are appended.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Sent as <c>x-otlp-api-key</c>, the header the Aspire dashboard's OTLP endpoint requires.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Requests waiting to be forwarded; past this, new ones are dropped and counted.</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1_000;

    /// <summary>
    /// Largest request body the queued exports of one signal are joined into; an export larger on its own is sent
    /// alone. 4 MiB is what an OTLP/gRPC receiver accepts by default.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
