namespace OrderSystem.Diagnostics.Sampling;

/// <summary>
/// A token bucket of spans: refilled at a rate a second, holding a second's worth at most. On the sampler's
/// <see cref="TimeProvider"/> and its clock (<see cref="TimeProvider.GetUtcNow"/>, as its decision waits), which
/// System.Threading.RateLimiting's limiters do not take (they read the stopwatch). Not thread-safe: the sampler calls
/// it under its lock.
/// </summary>
public sealed class SpanBudget
{
    private readonly TimeProvider _timeProvider;
    private readonly int _spansPerSecond;
    private double _available;
    private DateTimeOffset _refilledAt;

    public SpanBudget(int spansPerSecond, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spansPerSecond);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _spansPerSecond = spansPerSecond;
        _timeProvider = timeProvider;
        _available = spansPerSecond;
        _refilledAt = timeProvider.GetUtcNow();
    }

    /// <summary>Takes <paramref name="spans"/> if the bucket holds them; a trace larger than the bucket needs it full, and empties it.</summary>
    public bool TryTake(int spans)
    {
        var now = _timeProvider.GetUtcNow();
        // A clock set back refills nothing rather than draining the bucket.
        var elapsed = Math.Max(0, (now - _refilledAt).TotalSeconds);
        _available = Math.Min(_spansPerSecond, _available + (_spansPerSecond * elapsed));
        _refilledAt = now;
        var needed = Math.Min(spans, _spansPerSecond);
        if (_available < needed)
        {
            return false;
        }

        _available -= needed;
        return true;
    }
}
