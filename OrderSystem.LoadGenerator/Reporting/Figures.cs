using System.Globalization;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>How numbers read on screen.</summary>
internal static class Figures
{
    public static string Latency(double milliseconds) => milliseconds >= 1000
        ? (milliseconds / 1000).ToString("0.00", CultureInfo.InvariantCulture) + " s"
        : milliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => perSecond.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s";

    public static long StatusClass(IReadOnlyDictionary<string, long> classes, char digit) => classes.GetValueOrDefault(digit + "xx");
}
