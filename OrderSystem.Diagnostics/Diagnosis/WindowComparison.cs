namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>One window of a comparison: its bounds (Unix µs), its requests' latency and errors, and their cache lookups.</summary>
public sealed record WindowSummary(long Start, long End, RequestStatistics Requests, CacheStatistics Cache);

/// <summary>
/// How one operation of the request changed between the windows: calls per request, mean duration per call and
/// time per request (calls × duration, the figure changes are ranked by).
/// </summary>
public sealed record OperationChange(
    string Operation,
    double BeforeCallsPerRequest,
    double AfterCallsPerRequest,
    double BeforeMeanMs,
    double AfterMeanMs,
    double BeforePerRequestMs,
    double AfterPerRequestMs,
    double ChangeMs);

public sealed record WindowComparisonResult(
    string Service,
    string? Operation,
    WindowSummary Before,
    WindowSummary After,
    IReadOnlyList<OperationChange> Changes);

/// <summary>
/// Before/after comparison of a service's operation over two time windows ("3200 ms -> 350 ms"): request count,
/// error rate and latency percentiles in each, and the span operations within the requests whose time per request
/// changed most. Time per request rather than per call, so that both a slower statement and a removed N+1 loop
/// (same duration per call, fewer calls) show.
/// </summary>
public sealed class WindowComparison(TraceSelection selection)
{
    private const int TopChanges = 10;

    public WindowComparisonResult Compare(string service, string? operation, (long Start, long End) before, (long Start, long End) after)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        var beforeTraces = selection.Select(service, operation, before.Start, before.End);
        var afterTraces = selection.Select(service, operation, after.Start, after.End);
        var beforeWork = OperationTotals.Of(beforeTraces);
        var afterWork = OperationTotals.Of(afterTraces);

        var changes = beforeWork.Keys.Union(afterWork.Keys)
            .Select(name => Change(name, beforeWork.GetValueOrDefault(name), beforeTraces.Count, afterWork.GetValueOrDefault(name), afterTraces.Count))
            .OrderByDescending(c => Math.Abs(c.ChangeMs))
            .ThenBy(c => c.Operation, StringComparer.Ordinal)
            .Take(TopChanges)
            .ToList();

        return new WindowComparisonResult(
            service,
            operation,
            new WindowSummary(before.Start / 1_000, before.End / 1_000, RequestStatistics.Of(beforeTraces), CacheStatistics.Of(beforeTraces)),
            new WindowSummary(after.Start / 1_000, after.End / 1_000, RequestStatistics.Of(afterTraces), CacheStatistics.Of(afterTraces)),
            changes);
    }

    private static OperationChange Change(string name, OperationTotals before, int beforeRequests, OperationTotals after, int afterRequests)
    {
        var beforePerRequest = before.PerRequestMs(beforeRequests);
        var afterPerRequest = after.PerRequestMs(afterRequests);
        return new OperationChange(
            name,
            before.CallsPerRequest(beforeRequests),
            after.CallsPerRequest(afterRequests),
            before.MeanMs,
            after.MeanMs,
            beforePerRequest,
            afterPerRequest,
            DiagnosisMath.Round(afterPerRequest - beforePerRequest));
    }

    private readonly record struct OperationTotals(long Calls, long Nanos)
    {
        public double MeanMs => Calls == 0 ? 0 : DiagnosisMath.Round(Nanos / 1_000_000.0 / Calls);

        public double PerRequestMs(int requests) => requests == 0 ? 0 : DiagnosisMath.Round(Nanos / 1_000_000.0 / requests);

        public double CallsPerRequest(int requests) => requests == 0 ? 0 : DiagnosisMath.Round((double)Calls / requests);

        public static Dictionary<string, OperationTotals> Of(IReadOnlyList<AnchoredTrace> traces)
        {
            var totals = new Dictionary<string, OperationTotals>(StringComparer.Ordinal);
            foreach (var trace in traces)
            {
                foreach (var index in trace.Context.Tree.Subtree(trace.Anchor))
                {
                    var name = trace.OperationOf(index);
                    var current = totals.GetValueOrDefault(name);
                    totals[name] = new OperationTotals(current.Calls + 1, current.Nanos + trace.Context.Span(index).DurationNano);
                }
            }

            return totals;
        }
    }
}
