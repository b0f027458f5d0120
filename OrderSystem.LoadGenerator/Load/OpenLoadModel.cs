using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.Load;

/// <summary>
/// The open model: scenario runs arrive at a constant rate whatever the Gateway does, the way independent users
/// arrive. Arrival <c>i</c> is intended for <c>start + i / rate</c> and its latency counts from then, so a slow Gateway
/// (or a generator falling behind) shows in the latencies instead of silently lowering the rate (coordinated
/// omission). At most <paramref name="maxInFlight"/> runs are in flight; arrivals that find no free slot before the
/// end are counted as unsent rather than sent late.
/// </summary>
public sealed class OpenLoadModel(double rate, int maxInFlight, TimeProvider timeProvider) : ILoadModel
{
    private Exception? _fault;

    public async Task RunAsync(ScenarioExecutor executor, ScenarioPlanner planner, RunSchedule schedule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(planner);
        ArgumentNullException.ThrowIfNull(schedule);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var interval = timeProvider.TimestampFrequency / rate;
        try
        {
            for (long arrival = 0; ; arrival++)
            {
                var intendedStart = schedule.Start + (long)(arrival * interval);
                if (intendedStart >= schedule.End)
                {
                    break;
                }

                // Late arrivals (the timer's granularity is about a millisecond) are sent at once, not skipped.
                if (schedule.Until(intendedStart) is var wait && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
                }

                if (!await slots.WaitAsync(schedule.Until(schedule.End), cancellationToken).ConfigureAwait(false))
                {
                    RecordUnsentFrom(arrival, interval, executor, schedule);
                    break;
                }

                _ = RunAndReleaseAsync(executor, planner.Next(), intendedStart, slots, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted: what was sent so far is still reported.
        }

        // Every slot back means every run has finished.
        for (var slot = 0; slot < maxInFlight; slot++)
        {
            await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (_fault is { } fault)
        {
            throw new InvalidOperationException("a scenario run failed unexpectedly", fault);
        }
    }

    private async Task RunAndReleaseAsync(ScenarioExecutor executor, ScenarioPlan plan, long intendedStart, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try
        {
            await executor.RunAsync(plan, intendedStart, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Interrupted mid-request: not a measurement.
        }
        catch (Exception exception)
        {
            // Nobody awaits this task: keep the first fault for RunAsync to raise.
            Interlocked.CompareExchange(ref _fault, exception, null);
        }
        finally
        {
            slots.Release();
        }
    }

    private static void RecordUnsentFrom(long firstArrival, double interval, ScenarioExecutor executor, RunSchedule schedule)
    {
        for (var arrival = firstArrival; schedule.Start + (long)(arrival * interval) is var intendedStart && intendedStart < schedule.End; arrival++)
        {
            executor.RecordUnsent(intendedStart);
        }
    }
}
