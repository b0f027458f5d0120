namespace OrderSystem.Orders.Data;

/// <summary>
/// The current time at the precision PostgreSQL's <c>timestamptz</c> keeps (microseconds), so an order returned from
/// memory shows exactly the timestamps a later read returns.
/// </summary>
public static class DatabaseClock
{
    private const long TicksPerMicrosecond = TimeSpan.TicksPerMillisecond / 1000;

    public static DateTimeOffset GetDatabaseNow(this TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var now = timeProvider.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TicksPerMicrosecond));
    }
}
