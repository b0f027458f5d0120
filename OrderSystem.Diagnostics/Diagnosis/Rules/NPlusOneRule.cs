using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// N+1 queries: at least <see cref="DiagnosisOptions.NPlusOneMinCalls"/> database or cache calls with the same
/// normalized statement directly under one parent, typically one query per item of a list that one query (an
/// <c>= ANY</c> list, a join, an <c>MGET</c>) would have answered. The advice names the statement, the count, the
/// parent span and how to batch it.
/// </summary>
public sealed partial class NPlusOneRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.SiblingGroups(context.Options.NPlusOneMinCalls, context.NormalizedStatement)
            .Select(group => Describe(context, group.Parent, group.Key, group.Siblings));
    }

    private static Finding Describe(DiagnosisContext context, int parent, string statement, List<int> calls)
    {
        var totalMs = DiagnosisMath.Milliseconds(calls.Sum(i => context.Span(i).DurationNano));
        var owner = context.Span(parent);
        return new Finding(
            FindingKinds.NPlusOne,
            FindingSeverity.Warning,
            $"N+1 queries: {DiagnosisMath.Shorten(statement)}",
            string.Create(CultureInfo.InvariantCulture,
                $"{owner.ServiceName}: {owner.Name} ran the same statement {calls.Count} times ({totalMs:0.###} ms in all); one query for all the items would do."),
            new FindingEvidence(context.SpanIdsOf(calls), statement, calls.Count, totalMs),
            Advice(statement, calls.Count, $"{owner.ServiceName}: {owner.Name}", context.Category(calls[0]) == SpanCategory.Cache));
    }

    private static string Advice(string statement, int count, string parent, bool isCache)
    {
        var calls = string.Create(CultureInfo.InvariantCulture, $"{parent} runs `{statement}` once per item, {count} times");
        if (isCache)
        {
            return $"{calls}: fetch the {count} keys in one round trip (one MGET, or the commands in a pipeline).";
        }

        // The key that varies per item is most often the last equality of the WHERE clause (order_id = ? AND line_no = ?).
        var batched = KeyEquality().Matches(statement) is { Count: > 0 } keys
            ? $"one query for all the keys (`{keys[^1].Groups["column"].Value} = ANY($1)` with an array of the {count} keys), "
            : "one query for all the keys (`= ANY($1)` with an array of them), ";
        return $"{calls}: batch it into {batched}a JOIN with the query that listed the items, or in EF Core an Include of the navigation (or a Contains over the keys).";
    }

    [GeneratedRegex(@"(?<column>[A-Za-z_][\w.""]*)\s*=\s*\?", RegexOptions.CultureInvariant)]
    private static partial Regex KeyEquality();
}
