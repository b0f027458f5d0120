using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderSystem.Diagnostics.Query;

/// <summary>Parses the Go duration strings Jaeger's API takes ("150ms", "1.5s", "2m30s", "100us").</summary>
public static partial class GoDuration
{
    public static bool TryParseNanoseconds(string? text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Trim().Length)
        {
            return false;
        }

        double total = 0;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            total += value * match.Groups["unit"].Value switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1_000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                _ => 3_600_000_000_000,
            };
        }

        if (total is < 0 or > long.MaxValue)
        {
            return false;
        }

        nanoseconds = (long)total;
        return true;
    }

    [GeneratedRegex(@"(?<value>\d+(\.\d+)?)(?<unit>ns|us|µs|μs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();
}
