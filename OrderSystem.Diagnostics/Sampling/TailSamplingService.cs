using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OrderSystem.Diagnostics.Sampling;

/// <summary>Runs the <see cref="TailSampler"/>'s decisions on a timer, and decides what is still pending on shutdown.</summary>
public sealed class TailSamplingService(TailSampler sampler, IOptions<TailSamplingOptions> options, TimeProvider timeProvider) : BackgroundService
{
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxPeriod = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        sampler.DecideAll();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!sampler.IsEnabled)
        {
            return;
        }

        // A quarter of the shortest wait: a trace is decided at most 25% later than due.
        var shortest = options.Value.DecisionWait < options.Value.RootGrace ? options.Value.DecisionWait : options.Value.RootGrace;
        var period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, MinPeriod.Ticks, MaxPeriod.Ticks));
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                sampler.DecideDue();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync decides what is left.
        }
    }
}
