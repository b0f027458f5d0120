using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// A retry storm: at least <see cref="DiagnosisOptions.RetryStormMinAttempts"/> sibling HTTP or gRPC client calls
/// to the same target under one parent, of which at least <see cref="DiagnosisOptions.RetryStormMinFailures"/>
/// failed (error status, HTTP 5xx or 429, gRPC UNAVAILABLE and the like). Database calls are left to the lock and
/// N+1 rules.
/// </summary>
public sealed class RetryStormRule : IFindingRule
{
    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = context.SiblingGroups(
            context.Options.RetryStormMinAttempts,
            child => context.Span(child).Kind == SpanKind.Client && context.Category(child) is SpanCategory.Http or SpanCategory.Rpc ? Target(context.Span(child)) : null);
        foreach (var (parent, target, attempts) in calls)
        {
            var failures = attempts.Where(i => SpanConventions.IsFailedCall(context.Span(i))).ToList();
            if (failures.Count >= context.Options.RetryStormMinFailures)
            {
                yield return Describe(context, parent, target, attempts, failures);
            }
        }
    }

    private static Finding Describe(DiagnosisContext context, int parent, string target, List<int> attempts, List<int> failures)
    {
        var owner = context.Span(parent);
        var first = context.Span(attempts[0]);
        var lastEnd = attempts.Max(i => context.Span(i).EndUnixNano);
        var durationMs = DiagnosisMath.Milliseconds(lastEnd - first.StartUnixNano);
        var recovered = !SpanConventions.IsFailedCall(context.Span(attempts[^1]));
        var reasons = string.Join(", ", failures.Select(i => SpanConventions.FailureReason(context.Span(i))).Distinct(StringComparer.Ordinal).Take(3));
        return new Finding(
            FindingKinds.RetryStorm,
            recovered ? FindingSeverity.Warning : FindingSeverity.Critical,
            $"Retry storm: {DiagnosisMath.Shorten(target)}",
            string.Create(CultureInfo.InvariantCulture,
                $"{owner.ServiceName}: {owner.Name} called {target} {attempts.Count} times in {durationMs:0.###} ms; {failures.Count} failed ({reasons}){(recovered ? " before the last one succeeded" : " and none succeeded")}."),
            new FindingEvidence(context.SpanIdsOf(attempts), Count: attempts.Count, DurationMs: durationMs));
    }

    /// <summary>What the calls went to: the gRPC method, or the HTTP method and URL without its query.</summary>
    private static string Target(StoredSpan span)
    {
        if (SpanConventions.RpcTarget(span) is { } method)
        {
            return method;
        }

        var httpMethod = span.TryGetAttribute(SpanConventions.HttpRequestMethod, out var value) || span.TryGetAttribute(SpanConventions.HttpMethodLegacy, out value) ? value : null;
        if (span.TryGetAttribute(SpanConventions.UrlFull, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return $"{httpMethod ?? span.Name} {uri.GetLeftPart(UriPartial.Path)}";
        }

        return span.TryGetAttribute(SpanConventions.ServerAddress, out var address)
            ? $"{span.Name} {address}{(span.TryGetAttribute(SpanConventions.ServerPort, out var port) ? ":" + port : string.Empty)}"
            : span.Name;
    }
}
