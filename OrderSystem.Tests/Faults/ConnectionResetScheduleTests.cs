extern alias payments;

using OrderSystem.ServiceDefaults.Faults;
using payments::OrderSystem.Payments.Provider;

namespace OrderSystem.Tests.Faults;

/// <summary>When the simulated provider resets its connections under <c>payments-pool-reset</c>.</summary>
[Trait("Category", "Unit")]
public sealed class ConnectionResetScheduleTests
{
    private static readonly DateTimeOffset Reset = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);

    [Fact]
    public void Resets_fall_on_multiples_of_the_interval_on_the_unix_clock()
    {
        var schedule = new ConnectionResetSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(800));

        Assert.Equal(TimeSpan.Zero, schedule.SinceLastReset(Reset));
        Assert.Equal(TimeSpan.FromMilliseconds(4_999), schedule.SinceLastReset(Reset.AddMilliseconds(-1)));
        Assert.Equal(TimeSpan.FromMilliseconds(1_250), schedule.SinceLastReset(Reset.AddMilliseconds(6_250)));
        Assert.Equal(TimeSpan.FromMilliseconds(3_750), schedule.UntilNextReset(Reset.AddMilliseconds(6_250)));
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.UntilNextReset(Reset));
    }

    [Fact]
    public void Calls_arriving_within_the_window_after_a_reset_meet_a_reconnecting_provider()
    {
        var schedule = new ConnectionResetSchedule(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(800));

        Assert.True(schedule.IsReconnecting(Reset));
        Assert.True(schedule.IsReconnecting(Reset.AddMilliseconds(799)));
        Assert.False(schedule.IsReconnecting(Reset.AddMilliseconds(800)));
        Assert.False(schedule.IsReconnecting(Reset.AddMilliseconds(-1)));
        Assert.True(schedule.IsReconnecting(Reset.AddSeconds(5).AddMilliseconds(10)));
    }

    [Fact]
    public void The_fault_parameters_default_and_out_of_range_values_are_clamped()
    {
        var defaults = ConnectionResetSchedule.From(FaultState.On);
        Assert.Equal((TimeSpan.FromSeconds(KnownFaults.DefaultIntervalSeconds), TimeSpan.FromMilliseconds(KnownFaults.DefaultResetWindowMs)), (defaults.Interval, defaults.Window));

        var tooSmall = ConnectionResetSchedule.From(Parameters(interval: 0, window: -5));
        Assert.Equal((ConnectionResetSchedule.MinInterval, TimeSpan.Zero), (tooSmall.Interval, tooSmall.Window));
        Assert.False(tooSmall.IsReconnecting(Reset));

        var windowPastInterval = ConnectionResetSchedule.From(Parameters(interval: 2, window: 10_000));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)), (windowPastInterval.Interval, windowPastInterval.Window));
        Assert.True(windowPastInterval.IsReconnecting(Reset.AddMilliseconds(1_999)));

        var huge = ConnectionResetSchedule.From(Parameters(interval: double.MaxValue, window: double.NaN));
        Assert.Equal((ConnectionResetSchedule.MaxInterval, TimeSpan.Zero), (huge.Interval, huge.Window));
    }

    private static FaultState Parameters(double interval, double window) => new(true, new Dictionary<string, double>
    {
        [KnownFaults.IntervalSecondsParameter] = interval,
        [KnownFaults.ResetWindowMsParameter] = window,
    });
}
