using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.Load;

/// <summary>
/// The closed model: <paramref name="concurrency"/> virtual users, each starting its next scenario run when the last
/// one finished, so the rate follows the Gateway's speed. A user told to back off (429 or 503 with
/// <c>Retry-After</c>) waits that long first, as a well-behaved client does.
/// </summary>
public sealed class ClosedLoadModel(int concurrency, TimeProvider timeProvider) : ILoadModel
{
    public async Task RunAsync(ScenarioExecutor executor, ScenarioPlanner planner, RunSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(schedule);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => RunUserAsync(executor, planner, schedule, cancellationToken))).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: what was sent so far is still reported.
        }
    }

    private async Task RunUserAsync(ScenarioExecutor executor, ScenarioPlanner planner, RunSchedule schedule, CancellationToken cancellationToken)
    {
        while (timeProvider.GetTimestamp() is var start && start < schedule.End)
        {
            var retryAfter = await executor.RunAsync(planner.Next(), start, cancellationToken).ConfigureAwait(false);
            if (retryAfter is { } backOff && backOff > TimeSpan.Zero)
            {
                // A back-off that outlasts the run ends this user's part in it.
                if (backOff >= schedule.Until(schedule.End))
                {
                    return;
                }

                await Task.Delay(backOff, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
