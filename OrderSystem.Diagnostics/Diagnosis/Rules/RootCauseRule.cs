using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// Where a failed trace (its root span in error) failed first: from the root, the error path follows the child the
/// error came from (a child in error, else a child with an error below it; the one that ended last when several
/// did, since that is the failure the parent gave up on) down to the deepest span in error. Errors in a trace whose
/// root succeeded were handled and are no root cause.
/// </summary>
public sealed class RootCauseRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tree = context.Tree;
        if (tree.Root < 0 || !tree.Span(tree.Root).IsError)
        {
            yield break;
        }

        var errorBelow = ErrorsBelow(tree);
        var path = new List<int> { tree.Root };
        var current = tree.Root;
        while (Next(tree, current, errorBelow) is { } next)
        {
            current = next;
            if (tree.Span(current).IsError)
            {
                path.Add(current);
            }
        }

        var cause = path[^1];
        var span = tree.Span(cause);
        var reason = Reason(span);
        path.Reverse();
        yield return new Finding(
            FindingKinds.RootCause,
            FindingSeverity.Critical,
            $"Root cause: {span.ServiceName}: {DiagnosisMath.Shorten(span.Name)}",
            cause == tree.Root
                ? $"{span.ServiceName}: {span.Name} failed ({reason}) with no failing span below it."
                : $"{span.ServiceName}: {span.Name} failed first ({reason}); the error travelled up through {path.Count - 1} span(s) to {tree.Span(tree.Root).ServiceName}: {tree.Span(tree.Root).Name}.",
            new FindingEvidence(context.SpanIdsOf(path), context.NormalizedStatement(cause), DurationMs: DiagnosisMath.Milliseconds(span.DurationNano)));
    }

    private static int? Next(TraceTree tree, int current, bool[] errorBelow)
    {
        int? failed = null, leading = null;
        foreach (var child in tree.Children(current))
        {
            var span = tree.Span(child);
            if (span.IsError && (failed is null || span.EndUnixNano >= tree.Span(failed.Value).EndUnixNano))
            {
                failed = child;
            }
            else if (!span.IsError && errorBelow[child] && (leading is null || span.EndUnixNano >= tree.Span(leading.Value).EndUnixNano))
            {
                leading = child;
            }
        }

        return failed ?? leading;
    }

    /// <summary>Whether any descendant of each span is in error.</summary>
    private static bool[] ErrorsBelow(TraceTree tree)
    {
        var errorBelow = new bool[tree.Count];
        for (var i = 0; i < tree.Count; i++)
        {
            if (!tree.Span(i).IsError)
            {
                continue;
            }

            for (var ancestor = tree.Parent(i); ancestor >= 0 && !errorBelow[ancestor]; ancestor = tree.Parent(ancestor))
            {
                errorBelow[ancestor] = true;
            }
        }

        return errorBelow;
    }

    private static string Reason(StoredSpan span)
    {
        var exception = span.Events
            .Where(e => e.Name == SpanConventions.ExceptionEvent)
            .SelectMany(e => e.Attributes)
            .Where(a => a.Key == SpanConventions.ExceptionMessage)
            .Select(a => a.Value)
            .FirstOrDefault();
        return DiagnosisMath.Shorten(span.StatusMessage ?? exception ?? SpanConventions.FailureReason(span), 200);
    }
}
