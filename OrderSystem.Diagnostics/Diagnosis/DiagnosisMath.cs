namespace OrderSystem.Diagnostics.Diagnosis;

/// <summary>Units and order statistics shared by the analyses.</summary>
public static class DiagnosisMath
{
    /// <summary>Nanoseconds as milliseconds rounded to microseconds, as the JSON shows them.</summary>
    public static double Milliseconds(long nanoseconds) => Math.Round(nanoseconds / 1_000_000.0, 3);

    public static double Round(double value, int digits = 3) => Math.Round(value, digits);

    /// <summary>The nearest-rank percentile of values sorted ascending (0 for none).</summary>
    public static double Percentile(IReadOnlyList<double> sortedAscending, double percent)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        if (sortedAscending.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percent / 100 * sortedAscending.Count);
        return sortedAscending[Math.Clamp(rank - 1, 0, sortedAscending.Count - 1)];
    }

    /// <summary>The median of values sorted ascending (the mean of the two middle ones for an even count).</summary>
    public static double Median(IReadOnlyList<double> sortedAscending)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        var count = sortedAscending.Count;
        if (count == 0)
        {
            return 0;
        }

        return count % 2 == 1 ? sortedAscending[count / 2] : (sortedAscending[(count / 2) - 1] + sortedAscending[count / 2]) / 2;
    }

    /// <summary>Text cut to <paramref name="maxLength"/> characters with an ellipsis, for titles.</summary>
    public static string Shorten(string text, int maxLength = 80)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength - 1), "…");
    }
}
