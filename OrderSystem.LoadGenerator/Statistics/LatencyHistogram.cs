namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>
/// A log-linear bucketed histogram of latencies in whole microseconds, shaped like HdrHistogram: values below
/// <see cref="SubBucketCount"/> µs are counted exactly; above, every power of two is split into
/// <see cref="SubBucketCount"/>/2 equal buckets, so a reported percentile is within 1/128 (0.8 %) of the recorded
/// value. Fixed memory (<see cref="BucketCount"/> counters), O(1) recording. Not thread-safe: owners lock.
/// </summary>
public sealed class LatencyHistogram
{
    public const int SubBucketCount = 256;
    private const int SubBucketBits = 8;
    private const int HalfSubBucketCount = SubBucketCount / 2;

    /// <summary>The largest value told apart (about 38 hours); larger values count in the top bucket, <see cref="Max"/> stays exact.</summary>
    public const long HighestTrackableMicroseconds = (1L << 37) - 1;

    public static readonly int BucketCount = IndexOf(HighestTrackableMicroseconds) + 1;

    private readonly long[] _counts = new long[BucketCount];
    private long _sumMicroseconds;

    public long Count { get; private set; }

    public long MinMicroseconds { get; private set; } = long.MaxValue;

    public long MaxMicroseconds { get; private set; }

    public TimeSpan Min => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds(MinMicroseconds);

    public TimeSpan Max => TimeSpan.FromMicroseconds(MaxMicroseconds);

    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : TimeSpan.FromMicroseconds((double)_sumMicroseconds / Count);

    public void Record(TimeSpan latency) => RecordMicroseconds((long)Math.Round(latency.TotalMicroseconds));

    public void RecordMicroseconds(long microseconds)
    {
        // A clock step can make an interval negative; it is still one observation, of (about) nothing.
        var value = Math.Max(0, microseconds);
        _counts[IndexOf(Math.Min(value, HighestTrackableMicroseconds))]++;
        Count++;
        _sumMicroseconds += value;
        MinMicroseconds = Math.Min(MinMicroseconds, value);
        MaxMicroseconds = Math.Max(MaxMicroseconds, value);
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _sumMicroseconds += other._sumMicroseconds;
        MinMicroseconds = Math.Min(MinMicroseconds, other.MinMicroseconds);
        MaxMicroseconds = Math.Max(MaxMicroseconds, other.MaxMicroseconds);
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/> % of the recorded values fall (nearest rank), as the
    /// highest value of its bucket, capped at the exact maximum; zero when nothing was recorded.
    /// </summary>
    public TimeSpan ValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(Math.Clamp(HighestValueOf(i), MinMicroseconds, MaxMicroseconds));
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        // Shift so that the value's top SubBucketBits bits remain: they pick the sub-bucket within its power of two.
        var shift = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits + 1;
        var subBucket = (int)(value >> shift);
        return SubBucketCount + ((shift - 1) * HalfSubBucketCount) + (subBucket - HalfSubBucketCount);
    }

    private static long HighestValueOf(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        var shift = ((index - SubBucketCount) / HalfSubBucketCount) + 1;
        var subBucket = ((index - SubBucketCount) % HalfSubBucketCount) + HalfSubBucketCount;
        return ((long)(subBucket + 1) << shift) - 1;
    }
}
