namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>
/// A problem a rule found in a trace. <see cref="Kind"/> is one of <see cref="FindingKinds"/> and stable for API
/// clients; <see cref="Title"/> names the problem without per-trace figures so that a set analysis can count the
/// traces that share it; <see cref="Summary"/> carries the figures. <see cref="Advice"/> says what to change, naming
/// what the trace shows; <see cref="Fix"/> is the change itself when it is one statement to run (a missing index).
/// </summary>
public sealed record Finding(string Kind, string Severity, string Title, string Summary, FindingEvidence Evidence, string? Advice = null, string? Fix = null);

/// <summary>
/// The spans that show the problem (hex span ids) and, depending on the kind, its measures; <see cref="Plan"/> is the
/// database's query plan (EXPLAIN's text) that an advice was read from.
/// </summary>
public sealed record FindingEvidence(
    IReadOnlyList<string> SpanIds,
    string? Statement = null,
    int? Count = null,
    double? DurationMs = null,
    double? BaselineMs = null,
    string? Plan = null);

public static class FindingKinds
{
    public const string SlowStatement = "slow-statement";
    public const string NPlusOne = "n-plus-one";
    public const string LockContention = "lock-contention";
    public const string RetryStorm = "retry-storm";
    public const string CacheMiss = "cache-miss";
    public const string RootCause = "root-cause";
    public const string MessagingLag = "messaging-lag";
}

public static class FindingSeverity
{
    /// <summary>The trace failed because of it.</summary>
    public const string Critical = "critical";

    /// <summary>It cost time or put the request at risk.</summary>
    public const string Warning = "warning";

    public static int Rank(string severity) => severity switch
    {
        Critical => 0,
        Warning => 1,
        _ => 2,
    };
}
