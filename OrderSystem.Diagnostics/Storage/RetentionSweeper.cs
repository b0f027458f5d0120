using Microsoft.Extensions.Hosting;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>Evicts expired items from every store periodically, so age limits hold while no telemetry arrives.</summary>
internal sealed class RetentionSweeper(IEnumerable<IExpiringStore> stores, TimeProvider timeProvider) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            foreach (var store in stores)
            {
                store.EvictExpired();
            }
        }
    }
}
