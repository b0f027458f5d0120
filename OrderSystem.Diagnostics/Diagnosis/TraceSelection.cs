using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// A selected trace and its anchor: the earliest span of the selected service and operation. The anchor's duration
/// is the request's latency and its subtree is the request's work, so a consumer that runs later in the same trace
/// does not count as the request's time.
/// </summary>
public sealed record AnchoredTrace(DiagnosisContext Context, int Anchor)
{
    public StoredSpan AnchorSpan => Context.Span(Anchor);

    public double LatencyMs => AnchorSpan.DurationNano / 1_000_000.0;

    public bool Failed => AnchorSpan.IsError;

    public string TraceId => Context.Tree.TraceId.ToString();

    /// <summary>What a span of the request did, for per-operation figures: the service and the normalized statement of a database call, else the span name.</summary>
    public string OperationOf(int index) => $"{Context.Span(index).ServiceName}: {Context.NormalizedStatement(index) ?? Context.Span(index).Name}";
}

/// <summary>Reads the traces of a service and operation in a time window from the store, with their anchors.</summary>
public sealed class TraceSelection(TraceStore store, TraceAnalyzer analyzer, IOptions<DiagnosisOptions> options)
{
    private static readonly Dictionary<string, StatementBaseline> EmptyBaselines = [];

    /// <param name="baselines">Statement baselines for the finding rules; none when only figures are wanted.</param>
    public IReadOnlyList<AnchoredTrace> Select(string service, string? operation, long startUnixNano, long endUnixNano, IReadOnlyDictionary<string, StatementBaseline>? baselines = null)
    {
        // Windows are half-open, [start, end), so that adjacent windows do not share a request.
        var query = new TraceQuery { Service = service, Operation = operation, StartUnixNano = startUnixNano, EndUnixNano = endUnixNano - 1 };
        var selected = new List<AnchoredTrace>();
        foreach (var trace in store.FindTraces(query, options.Value.MaxTracesPerAnalysis))
        {
            var tree = new TraceTree(trace);
            var anchor = -1;
            for (var i = 0; i < tree.Count && anchor < 0; i++)
            {
                // Spans are in start order: the first match is the earliest.
                anchor = query.Matches(tree.Span(i)) ? i : -1;
            }

            if (anchor >= 0)
            {
                selected.Add(new AnchoredTrace(analyzer.CreateContext(tree, baselines ?? EmptyBaselines), anchor));
            }
        }

        return selected;
    }
}

/// <summary>Latency and errors of a group of requests (anchor spans).</summary>
public sealed record RequestStatistics(int Count, int ErrorCount, double ErrorRate, double MinMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs, double MeanMs)
{
    public static RequestStatistics Of(IReadOnlyCollection<AnchoredTrace> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);
        if (traces.Count == 0)
        {
            return new RequestStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        var latencies = traces.Select(t => t.LatencyMs).Order().ToArray();
        var errors = traces.Count(t => t.Failed);
        return new RequestStatistics(
            traces.Count,
            errors,
            DiagnosisMath.Round((double)errors / traces.Count, 4),
            DiagnosisMath.Round(latencies[0]),
            DiagnosisMath.Round(DiagnosisMath.Percentile(latencies, 50)),
            DiagnosisMath.Round(DiagnosisMath.Percentile(latencies, 95)),
            DiagnosisMath.Round(DiagnosisMath.Percentile(latencies, 99)),
            DiagnosisMath.Round(latencies[^1]),
            DiagnosisMath.Round(latencies.Average()));
    }
}
