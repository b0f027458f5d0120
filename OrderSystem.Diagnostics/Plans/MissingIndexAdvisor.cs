using System.Globalization;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Diagnosis;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>
/// Gives a slow PostgreSQL statement's finding the missing index, when the statement's plan reads a large table with
/// a sequential scan to apply a filter: the advice, the <c>CREATE INDEX</c> as the fix and the plan as evidence.
/// Plans are asked for in the background and cached per database and normalized statement, so that the diagnosis
/// waits at most <see cref="PlanOptions.WaitTimeout"/>; a database that cannot be asked leaves the finding as it was.
/// </summary>
public sealed partial class MissingIndexAdvisor(StatementExplainer explainer, IMemoryCache cache, IOptions<PlanOptions> options, ILogger<MissingIndexAdvisor> logger)
{
    private const string PostgreSql = "postgresql";
    private const string DbNamespace = "db.namespace";
    private const string DbNameLegacy = "db.name";

    public async Task<TraceDiagnosis> AdviseAsync(TraceSnapshot trace, TraceDiagnosis diagnosis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (!diagnosis.Findings.Any(f => f.Kind == FindingKinds.SlowStatement))
        {
            return diagnosis;
        }

        var findings = new List<Finding>(diagnosis.Findings.Count);
        foreach (var finding in diagnosis.Findings)
        {
            findings.Add(finding.Kind == FindingKinds.SlowStatement ? await AdviseAsync(trace, finding, cancellationToken) : finding);
        }

        return diagnosis with { Findings = findings };
    }

    private async Task<Finding> AdviseAsync(TraceSnapshot trace, Finding finding, CancellationToken cancellationToken)
    {
        var span = trace.Spans.FirstOrDefault(s => s.SpanId.ToString() == finding.Evidence.SpanIds[0]);
        if (span is null
            || !string.Equals(SpanConventions.DatabaseSystem(span), PostgreSql, StringComparison.OrdinalIgnoreCase)
            || !(span.TryGetAttribute(DbNamespace, out var database) || span.TryGetAttribute(DbNameLegacy, out database))
            || SpanConventions.Statement(span) is not { } statement)
        {
            return finding;
        }

        QueryPlan? plan;
        try
        {
            plan = await PlanAsync(database, finding.Evidence.Statement ?? statement, statement).WaitAsync(options.Value.WaitTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            return finding; // the plan goes on in the background, into the cache for the next diagnosis
        }

        if (plan?.Scans.FirstOrDefault(scan => scan.TableRows >= options.Value.LargeTableRows) is not { } large)
        {
            return finding;
        }

        return finding with
        {
            Advice = string.Create(CultureInfo.InvariantCulture,
                $"The plan of this statement on {database} reads all of {large.Table} (about {large.TableRows:N0} rows, the planner's estimate) with a sequential scan to find the rows where {large.Filter}: no index serves that filter. Create one on ({string.Join(", ", large.Columns)}); on a busy table CREATE INDEX CONCURRENTLY does not block writes."),
            Fix = large.CreateIndex(),
            Evidence = finding.Evidence with { Plan = plan.Text },
        };
    }

    /// <summary>The cached plan of the statement, or one being asked for; null when there is none to be had.</summary>
    private Task<QueryPlan?> PlanAsync(string database, string normalized, string statement) =>
        cache.GetOrCreate((nameof(MissingIndexAdvisor), database, normalized), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = options.Value.CacheDuration;
            return ExplainAsync(database, statement);
        })!;

    private async Task<QueryPlan?> ExplainAsync(string database, string statement)
    {
        // Not the request's token: the plan is worth finishing for the next diagnosis.
        using var timeout = new CancellationTokenSource(options.Value.ExplainTimeout);
        try
        {
            return await explainer.ExplainAsync(database, statement, timeout.Token);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            LogNoPlan(logger, database, exception.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No plan from {Database} for a slow statement: {Reason}")]
    private static partial void LogNoPlan(ILogger logger, string database, string reason);
}
