using System.Globalization;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// A database statement much slower than usual: longer than <see cref="DiagnosisOptions.SlowStatementFactor"/> times
/// its baseline (the median of the same normalized statement across the store) and than the baseline plus
/// <see cref="DiagnosisOptions.SlowStatementMarginMs"/>. One finding per statement.
/// </summary>
public sealed class SlowStatementRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var slow = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < context.Tree.Count; i++)
        {
            if (context.NormalizedStatement(i) is not { } statement
                || !context.Baselines.TryGetValue(statement, out var baseline)
                || baseline.Samples < options.BaselineMinSamples)
            {
                continue;
            }

            var durationMs = context.Span(i).DurationNano / 1_000_000.0;
            var threshold = Math.Max(baseline.MedianMs * options.SlowStatementFactor, baseline.MedianMs + options.SlowStatementMarginMs);
            if (durationMs > threshold)
            {
                slow.Append(statement, i);
            }
        }

        foreach (var (statement, spans) in slow)
        {
            var baseline = context.Baselines[statement];
            var slowest = spans.Max(i => context.Span(i).DurationNano);
            var slowestMs = DiagnosisMath.Milliseconds(slowest);
            var baselineMs = DiagnosisMath.Round(baseline.MedianMs);
            var span = context.Span(spans[0]);
            yield return new Finding(
                FindingKinds.SlowStatement,
                FindingSeverity.Warning,
                $"Slow statement: {DiagnosisMath.Shorten(statement)}",
                string.Create(CultureInfo.InvariantCulture,
                    $"{span.ServiceName} ran it {spans.Count} time(s) taking up to {slowestMs:0.###} ms; it usually takes {baselineMs:0.###} ms (median of {baseline.Samples} executions stored), {slowestMs / Math.Max(baselineMs, 0.001):0.#}x longer."),
                new FindingEvidence(context.SpanIdsOf(spans), statement, spans.Count, slowestMs, baselineMs));
        }
    }
}
