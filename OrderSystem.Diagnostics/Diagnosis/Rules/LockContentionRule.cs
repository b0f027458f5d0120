using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Diagnosis.Rules;

/// <summary>
/// Lock trouble in the database: PostgreSQL deadlocks (40P01), lock timeouts (55P03 lock_not_available) and
/// serialization failures (40001), recognised in the status description, error type, <c>db.response.status_code</c>
/// or exception events; and explicitly locking statements (<c>FOR UPDATE</c>, <c>LOCK TABLE</c>...; not
/// <c>SKIP LOCKED</c> or <c>NOWAIT</c>, which never wait) that ran longer than <see cref="DiagnosisOptions.LockWaitMs"/>. An error is reported on the spans where it arose, not on
/// every ancestor it was passed up to. A deadlock's advice names the statements that took the transaction's row locks,
/// in the order they took them, and how to take them in one order.
/// </summary>
public sealed partial class LockContentionRule : IFindingRule
{
    private static readonly LockError[] Errors =
    [
        new("Deadlock (40P01)", Deadlock(), IsDeadlock: true),
        new("Lock timeout (55P03)", LockTimeout()),
        new("Serialization failure (40001)", SerializationFailure()),
    ];

    private static readonly string[] LockingClauses = ["FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE", "LOCK TABLE"];

    // Such statements never wait for a lock: SKIP LOCKED passes locked rows by (the outbox relay), NOWAIT fails at once.
    private static readonly string[] NonWaitingClauses = ["SKIP LOCKED", "NOWAIT"];

    // Statements that lock the rows they touch until the transaction ends.
    private static readonly string[] RowLockingStatements = ["UPDATE ", "DELETE "];

    public IEnumerable<Finding> Evaluate(DiagnosisContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failedTrace = context.Tree.Root >= 0 && context.Span(context.Tree.Root).IsError;
        var errorTexts = new string[context.Tree.Count][];
        var anyText = false;
        for (var i = 0; i < errorTexts.Length; i++)
        {
            var span = context.Span(i);
            // Most spans carry no error information at all: skip collecting texts from them.
            errorTexts[i] = span.IsError || span.StatusMessage is not null || span.Events.Length > 0 ? [.. SpanConventions.ErrorTexts(span)] : [];
            anyText |= errorTexts[i].Length > 0;
        }

        foreach (var error in anyText ? Errors : [])
        {
            var origins = Origins(context.Tree, errorTexts, error);
            if (origins.Count == 0)
            {
                continue;
            }

            var statement = origins.Select(context.NormalizedStatement).FirstOrDefault(s => s is not null);
            var first = context.Span(origins[0]);
            yield return new Finding(
                FindingKinds.LockContention,
                failedTrace ? FindingSeverity.Critical : FindingSeverity.Warning,
                error.Title,
                string.Create(CultureInfo.InvariantCulture,
                    $"{first.ServiceName}: {first.Name} failed with {error.Title.ToLowerInvariant()}{(origins.Count > 1 ? $" ({origins.Count} times)" : string.Empty)}{(failedTrace ? " and the request failed" : "; the request recovered")}."),
                new FindingEvidence(context.SpanIdsOf(origins), statement, origins.Count),
                error.IsDeadlock ? DeadlockAdvice(context, origins[0]) : null);
        }

        if (LongLockWait(context) is { } wait)
        {
            yield return wait;
        }
    }

    /// <summary>Spans showing the error none of whose descendants shows it: where it arose.</summary>
    private static List<int> Origins(TraceTree tree, string[][] errorTexts, LockError error)
    {
        var matches = new bool[tree.Count];
        var any = false;
        for (var i = 0; i < tree.Count; i++)
        {
            matches[i] = error.Matches(errorTexts[i]);
            any |= matches[i];
        }

        if (!any)
        {
            return [];
        }

        var hasMatchingDescendant = new bool[tree.Count];
        for (var i = 0; i < tree.Count; i++)
        {
            if (!matches[i])
            {
                continue;
            }

            for (var ancestor = tree.Parent(i); ancestor >= 0 && !hasMatchingDescendant[ancestor]; ancestor = tree.Parent(ancestor))
            {
                hasMatchingDescendant[ancestor] = true;
            }
        }

        return [.. Enumerable.Range(0, tree.Count).Where(i => matches[i] && !hasMatchingDescendant[i])];
    }

    private static Finding? LongLockWait(DiagnosisContext context)
    {
        var waits = new List<int>();
        string? statement = null;
        for (var i = 0; i < context.Tree.Count; i++)
        {
            if (context.Span(i).DurationNano / 1_000_000.0 >= context.Options.LockWaitMs
                && context.NormalizedStatement(i) is { } text
                && LockingClauses.Any(clause => text.Contains(clause, StringComparison.OrdinalIgnoreCase))
                && !NonWaitingClauses.Any(clause => text.Contains(clause, StringComparison.OrdinalIgnoreCase)))
            {
                waits.Add(i);
                statement ??= text;
            }
        }

        if (waits.Count == 0)
        {
            return null;
        }

        var longestMs = DiagnosisMath.Milliseconds(waits.Max(i => context.Span(i).DurationNano));
        return new Finding(
            FindingKinds.LockContention,
            FindingSeverity.Warning,
            $"Long lock wait: {DiagnosisMath.Shorten(statement!)}",
            string.Create(CultureInfo.InvariantCulture,
                $"{waits.Count} locking statement(s) took up to {longestMs:0.###} ms (threshold {context.Options.LockWaitMs:0.###} ms): most likely waiting for rows another transaction held."),
            new FindingEvidence(context.SpanIdsOf(waits), statement, waits.Count, longestMs));
    }

    [GeneratedRegex(@"\b40P01\b|deadlock detected", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Deadlock();

    [GeneratedRegex(@"\b55P03\b|lock_not_available|could not obtain lock|lock timeout", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LockTimeout();

    [GeneratedRegex(@"\b40001\b|could not serialize access|serialization_failure", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SerializationFailure();

    /// <summary>
    /// The lock order of the deadlocked transaction: the row-locking statements its span's siblings ran before it, then
    /// the one that was chosen as the deadlock's victim. The other transaction is in another trace; it took the same
    /// kind of locks in the opposite order.
    /// </summary>
    private static string? DeadlockAdvice(DiagnosisContext context, int victim)
    {
        if (context.NormalizedStatement(victim) is not { } waiting)
        {
            return null;
        }

        var start = context.Span(victim).StartUnixNano;
        var held = context.Tree.Parent(victim) is var parent and >= 0
            ? context.Tree.Children(parent).ToArray()
                .Where(i => i != victim && context.Span(i).EndUnixNano <= start && context.NormalizedStatement(i) is { } text && LocksRows(text))
                .Select(i => context.NormalizedStatement(i)!)
                .ToList()
            : [];
        // With three or more transactions PostgreSQL may abort one that holds no rows yet: its place in a row's wait
        // queue, ahead of a transaction of the cycle, is what closes the cycle.
        var cause = held.Count == 0
            ? $"This transaction was waiting for a row lock at `{waiting}` and had locked no rows before it in this trace: it was queued for that row among transactions that took the same rows in opposite orders, and PostgreSQL aborted it to break their cycle."
            : $"This transaction locked rows with {string.Join(", then ", InRuns(held))} and was then waiting for a row at `{waiting}`; another transaction held that row and waited for one of these: the two took the same rows in opposite orders.";
        var oneOrder = LockedTable().Match(waiting) is { Success: true } table && KeyEquality().Match(waiting) is { Success: true } key
            ? $" (`SELECT * FROM {table.Groups["table"].Value} WHERE {key.Groups["key"].Value} = ANY($1) ORDER BY {key.Groups["key"].Value} FOR UPDATE`)"
            : string.Empty;
        return $"{cause} Lock rows in one order in every transaction: all at once in one statement sorted by the key{oneOrder}, or sort the keys before locking them one at a time.";
    }

    /// <summary>The statements in order, a run of the same one as one entry with its count.</summary>
    private static IEnumerable<string> InRuns(List<string> statements)
    {
        for (var i = 0; i < statements.Count;)
        {
            var run = 1;
            while (i + run < statements.Count && statements[i + run] == statements[i])
            {
                run++;
            }

            yield return run == 1 ? $"`{statements[i]}`" : string.Create(CultureInfo.InvariantCulture, $"`{statements[i]}` ({run} times)");
            i += run;
        }
    }

    private static bool LocksRows(string statement) =>
        RowLockingStatements.Any(prefix => statement.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        || (LockingClauses.Any(clause => statement.Contains(clause, StringComparison.OrdinalIgnoreCase))
            && !NonWaitingClauses.Any(clause => statement.Contains(clause, StringComparison.OrdinalIgnoreCase)));

    [GeneratedRegex(@"^\s*(?:SELECT\b.*?\bFROM|UPDATE|DELETE\s+FROM)\s+(?<table>[\w.""]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex LockedTable();

    [GeneratedRegex(@"\bWHERE\s+(?:[\w""]+\.)?(?<key>[\w""]+)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeyEquality();

    private sealed record LockError(string Title, Regex Marker, bool IsDeadlock = false)
    {
        public bool Matches(string[] texts) => texts.Any(Marker.IsMatch);
    }
}
