namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>The median of several measurements of one figure.</summary>
public static class Median
{
    /// <summary>The middle value, or the mean of the two middle ones; none of no values.</summary>
    public static double? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
