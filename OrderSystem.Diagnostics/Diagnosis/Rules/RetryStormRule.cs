using System.Globalization;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// A retry storm: at least <see cref="DiagnosisOptions.RetryStormMinAttempts"/> sibling HTTP or gRPC client calls
/// to the same target under one parent, of which at least <see cref="DiagnosisOptions.RetryStormMinFailures"/>
/// failed (error status, HTTP 5xx or 429, gRPC UNAVAILABLE and the like). Database calls are left to the lock and
/// N+1 rules. The advice names the dependency and the retry policy the calls show (attempts and their spacing) and
/// what to change in it.
/// </summary>
public sealed class RetryStormRule : IFindingRule
{
    // Timers and scheduling make a fixed delay vary a little.
    private const double FixedSpacingToleranceMs = 20;
    private const double FixedSpacingToleranceShare = 0.25;

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
            new FindingEvidence(context.SpanIdsOf(attempts), Count: attempts.Count, DurationMs: durationMs),
            Advice(context, $"{owner.ServiceName}: {owner.Name}", target, attempts, recovered));
    }

    private static string Advice(DiagnosisContext context, string caller, string target, List<int> attempts, bool recovered)
    {
        // The dependency is the service that answered (its server span under an attempt), when it exports spans too.
        var server = attempts.SelectMany(i => context.Tree.Children(i).ToArray()).Select(context.Span).FirstOrDefault(span => span.Kind == SpanKind.Server);
        var dependency = server is null ? target : $"{server.ServiceName} ({target})";
        var waits = attempts.Zip(attempts.Skip(1), (before, after) => DiagnosisMath.Milliseconds(context.Span(after).StartUnixNano - context.Span(before).EndUnixNano)).ToList();
        var spacing = Spacing(waits, out var isFixed);
        List<string> changes = [isFixed ? "back off exponentially with jitter, so that callers that failed together do not retry in step" : "keep the backoff and give it jitter if it has none"];
        changes.Add(recovered
            ? "a circuit breaker, so that a dependency that keeps failing is given a rest instead of several calls per request"
            : $"fewer attempts and a circuit breaker that stops calling {dependency} while it keeps failing");
        if (context.Span(attempts[0]).TryGetAttribute(SpanConventions.HttpRequestMethod, out var method) && method is "POST" or "PATCH")
        {
            changes.Add($"an idempotency key on the {method}, so that an attempt that reached the dependency before it failed is not done twice");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{caller} called {dependency} {attempts.Count} times: the retry policy in effect is {attempts.Count} attempts ({attempts.Count - 1} retries), {spacing}. Change it: {string.Join("; ", changes)}.");
    }

    /// <summary>How the retries were spaced: the waits between one attempt's end and the next one's start.</summary>
    private static string Spacing(List<double> waits, out bool isFixed)
    {
        var mean = waits.Average();
        isFixed = waits.Max() - waits.Min() <= Math.Max(FixedSpacingToleranceMs, mean * FixedSpacingToleranceShare);
        if (isFixed)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a fixed delay of about {mean:0} ms between them");
        }

        var list = string.Join(", ", waits.Select(w => w.ToString("0", CultureInfo.InvariantCulture)));
        return waits.Zip(waits.Skip(1)).All(pair => pair.Second >= pair.First * 1.5)
            ? $"growing delays ({list} ms): a backoff"
            : $"delays of {list} ms";
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
