namespace OrderSystem.LoadGenerator.Load;

/// <summary>When a run's phases begin and end, as <see cref="TimeProvider"/> timestamps: warm-up, then measurement.</summary>
public sealed class RunSchedule
{
    private readonly TimeProvider _timeProvider;

    public RunSchedule(TimeProvider timeProvider, TimeSpan warmup, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Start = timeProvider.GetTimestamp();
        MeasurementStart = Start + ToTicks(warmup);
        End = MeasurementStart + ToTicks(duration);
    }

    public long Start { get; }

    public long MeasurementStart { get; }

    public long End { get; }

    public bool IsWarmup(long timestamp) => timestamp < MeasurementStart;

    /// <summary>Time from now until <paramref name="timestamp"/>; zero when it has passed.</summary>
    public TimeSpan Until(long timestamp)
    {
        var remaining = _timeProvider.GetElapsedTime(_timeProvider.GetTimestamp(), timestamp);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(Start);

    /// <summary>How much of the measurement phase has passed (all of it once the run is over).</summary>
    public TimeSpan MeasuredElapsed => _timeProvider.GetElapsedTime(MeasurementStart, Math.Clamp(_timeProvider.GetTimestamp(), MeasurementStart, End));

    public long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _timeProvider.TimestampFrequency);
}
