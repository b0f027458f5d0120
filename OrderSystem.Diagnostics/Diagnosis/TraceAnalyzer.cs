using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>The analysis of one trace: where its time went and what went wrong.</summary>
public sealed record TraceDiagnosis(
    string TraceId,
    string RootService,
    string RootOperation,
    long StartTime,
    double DurationMs,
    int SpanCount,
    int ErrorCount,
    IReadOnlyList<CriticalPathStep> CriticalPath,
    IReadOnlyList<TimeShare> TimeByService,
    IReadOnlyList<TimeShare> TimeByKind,
    IReadOnlyList<Finding> Findings);

/// <summary>
/// Analyses one trace: its critical path, its self time by service and by kind of work, and the findings of every
/// <see cref="IFindingRule"/> (most severe first).
/// </summary>
public sealed class TraceAnalyzer(IEnumerable<IFindingRule> rules, StatementBaselines baselines, StatementNormalizer normalizer, IOptions<DiagnosisOptions> options)
{
    private readonly IFindingRule[] _rules = [.. rules];

    public TraceDiagnosis Analyze(TraceSnapshot trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var context = CreateContext(new TraceTree(trace), baselines.Current());
        var tree = context.Tree;
        var byService = new TimeShares();
        var byKind = new TimeShares();
        for (var i = 0; i < tree.Count; i++)
        {
            byService.Add(tree.Span(i).ServiceName, tree.SelfTimeNano(i));
            byKind.Add(SpanCategories.Name(context.Category(i)), tree.SelfTimeNano(i));
        }

        var root = tree.Span(tree.Root);
        return new TraceDiagnosis(
            trace.TraceId.ToString(),
            root.ServiceName,
            root.Name,
            tree.StartUnixNano / 1_000,
            DiagnosisMath.Milliseconds(tree.EndUnixNano - tree.StartUnixNano),
            tree.Count,
            trace.Spans.Count(s => s.IsError),
            CriticalPath.Of(tree),
            byService.ToList(),
            byKind.ToList(),
            Findings(context));
    }

    /// <summary>A context for analysing many traces against the same baselines (see <see cref="TraceSetAnalyzer"/>).</summary>
    public DiagnosisContext CreateContext(TraceTree tree, IReadOnlyDictionary<string, StatementBaseline> statementBaselines) =>
        new(tree, statementBaselines, normalizer, options.Value);

    public IReadOnlyDictionary<string, StatementBaseline> CurrentBaselines() => baselines.Current();

    public IReadOnlyList<Finding> Findings(DiagnosisContext context) =>
        [.. _rules.SelectMany(rule => rule.Evaluate(context)).OrderBy(f => FindingSeverity.Rank(f.Severity))];
}
