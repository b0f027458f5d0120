using System.Globalization;

namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>Durations as written on the command line: <c>500ms</c>, <c>30s</c>, <c>1.5m</c>, <c>1h</c>; a bare number is seconds.</summary>
public static class DurationText
{
    private static readonly (string Suffix, double Seconds)[] Units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        var unitSeconds = 1.0;
        // "ms" before "m" and "s": the longest suffix that matches.
        foreach (var (suffix, seconds) in Units.OrderByDescending(unit => unit.Suffix.Length))
        {
            if (value.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                value = value[..^suffix.Length];
                unitSeconds = seconds;
                break;
            }
        }

        if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount * unitSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * unitSeconds);
        return true;
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: > 0 and < 1 } => $"{duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)}ms",
        _ => $"{duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s",
    };
}
