namespace OrderSystem.LoadGenerator.Statistics;

/// <summary>Percentiles of a <see cref="LatencyHistogram"/> in milliseconds.</summary>
public sealed record LatencySummary(double P50, double P95, double P99, double Max, double Min, double Mean)
{
    public static LatencySummary Of(LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        return new LatencySummary(
            Milliseconds(histogram.ValueAtPercentile(50)),
            Milliseconds(histogram.ValueAtPercentile(95)),
            Milliseconds(histogram.ValueAtPercentile(99)),
            Milliseconds(histogram.Max),
            Milliseconds(histogram.Min),
            Milliseconds(histogram.Mean));
    }

    // Microsecond resolution is what the histogram keeps.
    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, 3);
}
