using OrderSystem.ServiceDefaults.Faults;

namespace OrderSystem.Payments.Provider;

/// <summary>
/// When the provider resets its connections under <see cref="KnownFaults.PaymentsPoolReset"/>: at every multiple of
/// <see cref="Interval"/> on the Unix clock, so every Payments instance resets at the same instants and a person can
/// tell from a span's start time whether it met a reset; calls arriving within <see cref="Window"/> after a reset
/// (the provider still reconnecting) are reset too.
/// </summary>
public sealed record ConnectionResetSchedule
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    /// <param name="interval">Clamped to [<see cref="MinInterval"/>, <see cref="MaxInterval"/>].</param>
    /// <param name="window">Clamped to [0, <paramref name="interval"/>]: a window as long as the interval resets every call.</param>
    public ConnectionResetSchedule(TimeSpan interval, TimeSpan window)
    {
        Interval = Clamp(interval, MinInterval, MaxInterval);
        Window = Clamp(window, TimeSpan.Zero, Interval);
    }

    public TimeSpan Interval { get; }

    public TimeSpan Window { get; }

    /// <summary>The schedule a fault's parameters describe; out-of-range or non-finite values are clamped, never rejected.</summary>
    public static ConnectionResetSchedule From(FaultState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var seconds = state.GetParameter(KnownFaults.IntervalSecondsParameter, KnownFaults.DefaultIntervalSeconds);
        var windowMs = state.GetParameter(KnownFaults.ResetWindowMsParameter, KnownFaults.DefaultResetWindowMs);
        return new ConnectionResetSchedule(
            double.IsFinite(seconds) ? TimeSpan.FromSeconds(Math.Clamp(seconds, 0, MaxInterval.TotalSeconds)) : MinInterval,
            double.IsFinite(windowMs) ? TimeSpan.FromMilliseconds(Math.Clamp(windowMs, 0, MaxInterval.TotalMilliseconds)) : TimeSpan.Zero);
    }

    public TimeSpan SinceLastReset(DateTimeOffset now) => TimeSpan.FromTicks((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) % Interval.Ticks);

    /// <summary>Whether a call arriving at <paramref name="now"/> meets a provider that is still reconnecting.</summary>
    public bool IsReconnecting(DateTimeOffset now) => SinceLastReset(now) < Window;

    /// <summary>How long a call arriving at <paramref name="now"/> has until the next reset aborts it.</summary>
    public TimeSpan UntilNextReset(DateTimeOffset now) => Interval - SinceLastReset(now);

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
