using System.Globalization;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// N+1 queries: at least <see cref="DiagnosisOptions.NPlusOneMinCalls"/> database or cache calls with the same
/// normalized statement directly under one parent, typically one query per item of a list that one query (an
/// <c>IN</c> list, a join, an <c>MGET</c>) would have answered.
/// </summary>
public sealed class NPlusOneRule : IFindingRule
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
            new FindingEvidence(context.SpanIdsOf(calls), statement, calls.Count, totalMs));
    }
}
