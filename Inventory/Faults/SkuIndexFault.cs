using Npgsql;
using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Inventory.Faults;

/// <summary>
/// Acts out <see cref="KnownFaults.InventoryMissingIndex"/>, a change of schema rather than of code: it reads the switch
/// every <see cref="FaultSwitches.RefreshInterval"/>; switched on, it drops the SKU index and grows
/// <c>inventory_items</c> to <see cref="KnownFaults.RowsParameter"/> archived rows, switched off it recreates the index.
/// The first round after start makes the table match the switch, so an index a crash left dropped comes back.
/// </summary>
/// <remarks>
/// It reads <see cref="FaultStore"/> itself instead of <see cref="FaultSwitches"/>, for which a switch that cannot be
/// read is off: rebuilding and dropping the index again because Redis was slow for a second would load PostgreSQL
/// most when it is already overloaded. A switch that cannot be read here leaves the table as it is.
/// </remarks>
internal sealed partial class SkuIndexFault(
    FaultStore store, SkuIndexSchema schema, SkuIndexStatus status, TimeProvider timeProvider, ILogger<SkuIndexFault> logger)
    : BackgroundService
{
    /// <summary>How long a change that failed waits before it is tried again, so a failure is not logged every second.</summary>
    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(10);

    // Nobody waits for this read but the loop, so it may take longer than a request's refresh of the switches.
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SkuIndexTarget? applied = null;
        using var timer = new PeriodicTimer(FaultSwitches.RefreshInterval, timeProvider);
        do
        {
            if (await ReadTargetAsync(stoppingToken) is { } target && target != applied && await TryApplyAsync(target, stoppingToken))
            {
                applied = target;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>What the switch asks for; null when it cannot be read (FaultSwitches logs that for the service).</summary>
    private async Task<SkuIndexTarget?> ReadTargetAsync(CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            var states = await store.ReadAllAsync(timeout.Token);
            return SkuIndexTarget.From(states.GetValueOrDefault(KnownFaults.InventoryMissingIndex, FaultState.Off));
        }
        catch (Exception exception) when (FaultStore.IsUnavailable(exception) || (exception is OperationCanceledException && !stoppingToken.IsCancellationRequested))
        {
            return null;
        }
    }

    private async Task<bool> TryApplyAsync(SkuIndexTarget target, CancellationToken stoppingToken)
    {
        try
        {
            if (!target.IndexDropped)
            {
                // Missing until the new index is valid: lookups scan while it is being built.
                var recreated = await schema.TryRecreateIndexAsync(stoppingToken);
                status.IsMissing &= !recreated;
                return recreated;
            }

            if (!await schema.TryDropIndexAsync(stoppingToken))
            {
                return false;
            }

            status.IsMissing = true;
            return await schema.TryAddArchivedRowsAsync(target.ArchivedRows, stoppingToken);
        }
        catch (NpgsqlException exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogChangeFailed(exception, target.IndexDropped ? "drop index" : "recreate index", RetryAfterFailure.TotalSeconds);
            await Task.Delay(RetryAfterFailure, timeProvider, stoppingToken);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The inventory-missing-index fault could not {Change} " + SkuIndexSchema.IndexName + "; trying again in {RetrySeconds} s")]
    private partial void LogChangeFailed(Exception exception, string change, double retrySeconds);

    /// <summary>What the switch asks for: the index dropped with a number of archived rows, or the index present.</summary>
    private readonly record struct SkuIndexTarget(bool IndexDropped, int ArchivedRows)
    {
        public static SkuIndexTarget From(FaultState state)
        {
            if (!state.Enabled)
            {
                return new(false, 0);
            }

            var rows = state.GetParameter(KnownFaults.RowsParameter, KnownFaults.DefaultMissingIndexRows);
            // Anything out of range is clamped: a typo must not try to fill the disk or crash the service.
            return new(true, double.IsFinite(rows) ? (int)Math.Clamp(rows, 0, SkuIndexSchema.MaxArchivedRows) : KnownFaults.DefaultMissingIndexRows);
        }
    }
}
