using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.Tests.LoadGenerator;

[Trait("Category", "Unit")]
public sealed class LatencyHistogramTests
{
    // A bucket's highest value is reported: at most 1/128 above the recorded value.
    private const double Precision = 1.0 / 128;

    [Fact]
    public void Is_exact_below_the_sub_bucket_count()
    {
        var histogram = new LatencyHistogram();
        for (var microseconds = 0; microseconds < LatencyHistogram.SubBucketCount; microseconds++)
        {
            histogram.RecordMicroseconds(microseconds);
        }

        Assert.Equal(TimeSpan.FromMicroseconds(127), histogram.ValueAtPercentile(50));
        // Nearest rank: the ceil(0.99 × 256) = 254th value.
        Assert.Equal(TimeSpan.FromMicroseconds(253), histogram.ValueAtPercentile(99));
        Assert.Equal(TimeSpan.FromMicroseconds(255), histogram.ValueAtPercentile(100));
        Assert.Equal(TimeSpan.Zero, histogram.ValueAtPercentile(0));
    }

    [Fact]
    public void Matches_a_uniform_distribution_within_its_precision()
    {
        var histogram = new LatencyHistogram();
        for (var microseconds = 1; microseconds <= 100_000; microseconds++)
        {
            histogram.RecordMicroseconds(microseconds);
        }

        AssertWithinPrecision(50_000, histogram.ValueAtPercentile(50));
        AssertWithinPrecision(95_000, histogram.ValueAtPercentile(95));
        AssertWithinPrecision(99_000, histogram.ValueAtPercentile(99));
        Assert.Equal(TimeSpan.FromMicroseconds(100_000), histogram.Max);
        Assert.Equal(TimeSpan.FromMicroseconds(1), histogram.Min);
        Assert.Equal(50_000.5, histogram.Mean.TotalMicroseconds, 0.5);
        Assert.Equal(100_000, histogram.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_the_exact_percentiles_of_an_exponential_distribution(int seed)
    {
        // Mean 20 ms with a long tail, like service latencies; compared with nearest-rank percentiles of the sorted values.
        var random = new Random(seed);
        var values = Enumerable.Range(0, 50_000).Select(_ => (long)(-Math.Log(1 - random.NextDouble()) * 20_000)).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in values)
        {
            histogram.RecordMicroseconds(value);
        }

        Array.Sort(values);
        foreach (var percentile in new[] { 10, 50, 90, 95, 99, 99.9 })
        {
            var exact = values[(int)Math.Ceiling(percentile / 100 * values.Length) - 1];
            AssertWithinPrecision(exact, histogram.ValueAtPercentile(percentile));
        }

        Assert.Equal(TimeSpan.FromMicroseconds(values[^1]), histogram.ValueAtPercentile(100));
    }

    [Fact]
    public void Separates_the_modes_of_a_bimodal_distribution()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 900; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(1));
        }

        for (var i = 0; i < 100; i++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(100));
        }

        AssertWithinPrecision(1_000, histogram.ValueAtPercentile(50));
        AssertWithinPrecision(1_000, histogram.ValueAtPercentile(90));
        AssertWithinPrecision(100_000, histogram.ValueAtPercentile(91));
        Assert.Equal(TimeSpan.FromMilliseconds(100), histogram.ValueAtPercentile(99));
    }

    [Fact]
    public void Merges_like_one_histogram_of_all_values()
    {
        var random = new Random(5);
        var all = new LatencyHistogram();
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInt64(1, 5_000_000);
            all.RecordMicroseconds(value);
            (i % 3 == 0 ? first : second).RecordMicroseconds(value);
        }

        first.Add(second);

        Assert.Equal(all.Count, first.Count);
        Assert.Equal(all.Min, first.Min);
        Assert.Equal(all.Max, first.Max);
        Assert.Equal(all.Mean, first.Mean);
        foreach (var percentile in new[] { 50.0, 95, 99, 99.99 })
        {
            Assert.Equal(all.ValueAtPercentile(percentile), first.ValueAtPercentile(percentile));
        }
    }

    [Fact]
    public void Reports_zero_when_empty_and_keeps_extremes_exact()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(TimeSpan.Zero, histogram.ValueAtPercentile(99));
        Assert.Equal(TimeSpan.Zero, histogram.Min);
        Assert.Equal(TimeSpan.Zero, histogram.Mean);

        histogram.Record(TimeSpan.FromDays(3));
        histogram.Record(TimeSpan.FromMilliseconds(-5));

        // Beyond the highest trackable value: counted in the top bucket, the maximum still exact.
        Assert.Equal(TimeSpan.FromDays(3), histogram.Max);
        Assert.Equal(TimeSpan.FromMicroseconds(LatencyHistogram.HighestTrackableMicroseconds), histogram.ValueAtPercentile(100));
        Assert.Equal(TimeSpan.Zero, histogram.Min);
        Assert.Equal(TimeSpan.Zero, histogram.ValueAtPercentile(50));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(101));
    }

    private static void AssertWithinPrecision(long expectedMicroseconds, TimeSpan actual) =>
        Assert.InRange(actual.TotalMicroseconds, expectedMicroseconds, (expectedMicroseconds * (1 + Precision)) + 1);
}
