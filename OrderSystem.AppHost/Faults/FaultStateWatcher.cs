using Microsoft.Extensions.Hosting;

namespace OrderSystem.AppHost.Faults;

/// <summary>
/// Reads the fault switches from the diagnostics service every <see cref="PollInterval"/> once it runs, so that the
/// Aspire dashboard shows a fault switched by a script or the diagnostics UI as well as one switched by a command.
/// </summary>
public sealed class FaultStateWatcher(
    FaultSwitchClient faults,
    FaultStates states,
    ResourceNotificationService notifications,
    DistributedApplicationExecutionContext executionContext,
    TimeProvider timeProvider) : BackgroundService
{
    /// <summary>Often enough that a person sees a change made elsewhere almost at once; a read is one Redis HGETALL.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (executionContext.IsPublishMode)
        {
            return;
        }

        try
        {
            await notifications.WaitForResourceAsync(faults.ResourceName, KnownResourceStates.Running, stoppingToken);
            using var timer = new PeriodicTimer(PollInterval, timeProvider);
            do
            {
                var version = states.Version;
                await states.PublishReadAsync(await TryReadAsync(stoppingToken), version, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The switches, or null while the diagnostics service or its Redis does not answer.</summary>
    private async Task<IReadOnlyList<FaultSwitch>?> TryReadAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await faults.GetAllAsync(stoppingToken);
        }
        catch (Exception exception) when (FaultSwitchClient.IsUnanswered(exception, stoppingToken))
        {
            return null;
        }
    }
}
