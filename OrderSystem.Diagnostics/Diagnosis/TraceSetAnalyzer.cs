namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>Where the requests of one group spent their time (means per request), and how their cache lookups went.</summary>
public sealed record TraceGroup(
    RequestStatistics Requests,
    CacheStatistics Cache,
    IReadOnlyList<TimeShare> TimeByService,
    IReadOnlyList<TimeShare> TimeByKind);

/// <summary>An operation (or statement) whose share of the request's time is larger in the slow group than in the rest.</summary>
public sealed record ShareGrowth(string Operation, double SlowShare, double RestShare, double SlowMeanMs, double RestMeanMs);

/// <summary>A finding over the set: how many traces of each group have it, and a few of them.</summary>
public sealed record AggregatedFinding(string Kind, string Severity, string Title, int SlowTraces, int RestTraces, IReadOnlyList<string> ExampleTraceIds);

public sealed record TraceSetDiagnosis(
    string Service,
    string? Operation,
    long Start,
    long End,
    double SlowestPercent,
    double SlowThresholdMs,
    TraceGroup Slow,
    TraceGroup Rest,
    IReadOnlyList<ShareGrowth> GrowingOperations,
    IReadOnlyList<AggregatedFinding> Findings);

/// <summary>
/// Compares the slowest <c>P</c>% of a service's requests with the rest: latency of each group, where each spends
/// its time (self time within the request's span, by service and by kind), the operations whose share of the time
/// grew most in the slow group, and the findings of the rules counted per group.
/// </summary>
public sealed class TraceSetAnalyzer(TraceSelection selection, TraceAnalyzer analyzer)
{
    private const int TopOperations = 10;
    private const int MaxExamples = 5;

    public TraceSetDiagnosis Analyze(string service, string? operation, long startUnixNano, long endUnixNano, double slowestPercent)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slowestPercent);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slowestPercent, 100);

        var traces = selection.Select(service, operation, startUnixNano, endUnixNano, analyzer.CurrentBaselines())
            .OrderByDescending(t => t.LatencyMs)
            .ToList();
        var slowCount = traces.Count == 0 ? 0 : Math.Max(1, (int)Math.Ceiling(traces.Count * slowestPercent / 100));
        var slow = traces[..slowCount];
        var rest = traces[slowCount..];

        var slowWork = new GroupWork(slow);
        var restWork = new GroupWork(rest);
        var findings = new Dictionary<(string Kind, string Title), FindingCount>();
        Count(findings, slow, isSlow: true);
        Count(findings, rest, isSlow: false);

        return new TraceSetDiagnosis(
            service,
            operation,
            startUnixNano / 1_000,
            endUnixNano / 1_000,
            slowestPercent,
            slow.Count == 0 ? 0 : DiagnosisMath.Round(slow[^1].LatencyMs),
            slowWork.ToGroup(slow),
            restWork.ToGroup(rest),
            GrowingOperations(slowWork, restWork, slow.Count, rest.Count),
            [.. findings
                .OrderByDescending(f => f.Value.Slow / (double)Math.Max(1, slow.Count) - (f.Value.Rest / (double)Math.Max(1, rest.Count)))
                .ThenBy(f => FindingSeverity.Rank(f.Value.Severity))
                .Select(f => new AggregatedFinding(f.Key.Kind, f.Value.Severity, f.Key.Title, f.Value.Slow, f.Value.Rest, f.Value.Examples))]);
    }

    private void Count(Dictionary<(string Kind, string Title), FindingCount> findings, List<AnchoredTrace> traces, bool isSlow)
    {
        foreach (var trace in traces)
        {
            foreach (var finding in analyzer.Findings(trace.Context).DistinctBy(f => (f.Kind, f.Title)))
            {
                if (!findings.TryGetValue((finding.Kind, finding.Title), out var count))
                {
                    count = new FindingCount { Severity = finding.Severity };
                    findings.Add((finding.Kind, finding.Title), count);
                }

                count.Add(trace.TraceId, finding.Severity, isSlow);
            }
        }
    }

    private static List<ShareGrowth> GrowingOperations(GroupWork slow, GroupWork rest, int slowCount, int restCount) =>
        [.. slow.ByOperation.Names
            .Select(name => new ShareGrowth(
                name,
                DiagnosisMath.Round(slow.ByOperation.ShareOf(name), 4),
                DiagnosisMath.Round(rest.ByOperation.ShareOf(name), 4),
                DiagnosisMath.Round(slow.ByOperation.NanoOf(name) / 1_000_000.0 / Math.Max(1, slowCount)),
                DiagnosisMath.Round(rest.ByOperation.NanoOf(name) / 1_000_000.0 / Math.Max(1, restCount))))
            .Where(g => g.SlowShare > g.RestShare)
            .OrderByDescending(g => g.SlowShare - g.RestShare)
            .ThenBy(g => g.Operation, StringComparer.Ordinal)
            .Take(TopOperations)];

    /// <summary>Self time of a group's requests (anchor subtrees) by service, kind and operation.</summary>
    private sealed class GroupWork
    {
        public GroupWork(List<AnchoredTrace> traces)
        {
            foreach (var trace in traces)
            {
                foreach (var index in trace.Context.Tree.Subtree(trace.Anchor))
                {
                    var self = trace.Context.Tree.SelfTimeNano(index);
                    ByService.Add(trace.Context.Span(index).ServiceName, self);
                    ByKind.Add(SpanCategories.Name(trace.Context.Category(index)), self);
                    ByOperation.Add(trace.OperationOf(index), self);
                }
            }
        }

        public TimeShares ByService { get; } = new();

        public TimeShares ByKind { get; } = new();

        public TimeShares ByOperation { get; } = new();

        public TraceGroup ToGroup(List<AnchoredTrace> traces) =>
            new(RequestStatistics.Of(traces), CacheStatistics.Of(traces), ByService.ToList(traces.Count), ByKind.ToList(traces.Count));
    }

    private sealed class FindingCount
    {
        public string Severity { get; set; } = FindingSeverity.Warning;

        public int Slow { get; private set; }

        public int Rest { get; private set; }

        public List<string> Examples { get; } = [];

        public void Add(string traceId, string severity, bool slow)
        {
            if (FindingSeverity.Rank(severity) < FindingSeverity.Rank(Severity))
            {
                Severity = severity;
            }

            if (slow)
            {
                Slow++;
            }
            else
            {
                Rest++;
            }

            if (Examples.Count < MaxExamples)
            {
                Examples.Add(traceId);
            }
        }
    }
}
