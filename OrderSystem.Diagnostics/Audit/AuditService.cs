using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Plans;

namespace OrderSystem.Diagnostics.Audit;

/// <summary>Each SKU's total (available plus held by orders) that a later audit balances the SKU's stock against.</summary>
public sealed record StockBaseline(string Id, DateTimeOffset TakenAt, IReadOnlyDictionary<string, int> Totals);

/// <summary>
/// Runs audits over the four databases through the read-only role's connections (<c>ConnectionStrings:*-reader</c>,
/// the ones the plan explainer uses), and keeps the stock baselines taken for later audits.
/// </summary>
public sealed class AuditService(ReaderDataSources readers, IOptions<AuditOptions> options, TimeProvider timeProvider)
{
    /// <summary>Baselines kept at most; the oldest is forgotten first.</summary>
    private const int MaxBaselines = 100;

    private static readonly string[] Databases = ["ordersdb", "inventorydb", "paymentsdb", "notificationsdb"];

    private readonly ConcurrentDictionary<string, StockBaseline> _baselines = new(StringComparer.Ordinal);

    /// <summary>The databases the service cannot read (no reader connection string given), if any.</summary>
    public IReadOnlyList<string> MissingDatabases => [.. Databases.Where(database => readers.For(database) is null)];

    public StockBaseline? FindBaseline(string id) => _baselines.GetValueOrDefault(id);

    public async Task<StockBaseline> TakeBaselineAsync(CancellationToken cancellationToken)
    {
        var takenAt = timeProvider.GetUtcNow();
        var available = await AuditSnapshotReader.ReadStockAsync(Require("inventorydb"), cancellationToken);
        var baseline = new StockBaseline(Guid.NewGuid().ToString("N"), takenAt, available);
        foreach (var stale in _baselines.Values.OrderBy(b => b.TakenAt).Take(Math.Max(0, _baselines.Count - MaxBaselines + 1)))
        {
            _baselines.TryRemove(stale.Id, out _);
        }

        _baselines[baseline.Id] = baseline;
        return baseline;
    }

    public async Task<AuditReport> AuditAsync(DateTimeOffset since, StockBaseline? baseline, CancellationToken cancellationToken)
    {
        var databases = new AuditDatabases(Require("ordersdb"), Require("inventorydb"), Require("paymentsdb"), Require("notificationsdb"));
        var snapshot = await AuditSnapshotReader.ReadAsync(databases, since, cancellationToken);
        return ConsistencyAudit.Check(snapshot, options.Value, timeProvider.GetUtcNow(), baseline?.Totals);
    }

    private Npgsql.NpgsqlDataSource Require(string database) =>
        readers.For(database) ?? throw new InvalidOperationException($"No reader connection string for {database} (ConnectionStrings:{database}-reader).");
}
