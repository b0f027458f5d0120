namespace OrderSystem.LoadGenerator.Statistics;

internal static class Throughput
{
    public static double PerSecond(long count, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Round(count / elapsed.TotalSeconds, 2);
}
