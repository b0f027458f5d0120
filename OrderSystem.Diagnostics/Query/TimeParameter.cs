using System.Globalization;

namespace OrderSystem.Diagnostics.Query;

/// <summary>
/// Reads a point in time liberally: Unix time as an integer (µs as Jaeger's API uses, but seconds, milliseconds
/// and nanoseconds are recognised by their magnitude), an ISO 8601 date and time (UTC unless it says otherwise),
/// <c>now</c>, or <c>now-15m</c> / <c>-15m</c> (a Go duration before now).
/// </summary>
public static class TimeParameter
{
    public static bool TryParse(string? text, TimeProvider timeProvider, out long unixNano)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        unixNano = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var nowNano = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        if (string.Equals(text, "now", StringComparison.OrdinalIgnoreCase))
        {
            unixNano = nowNano;
            return true;
        }

        var relative = text.StartsWith("now-", StringComparison.OrdinalIgnoreCase) ? text[4..] : text.StartsWith('-') ? text[1..] : null;
        if (relative is not null && GoDuration.TryParseNanoseconds(relative, out var ago))
        {
            unixNano = nowNano - ago;
            return true;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0)
        {
            unixNano = number switch
            {
                < 100_000_000_000 => number * 1_000_000_000,
                < 100_000_000_000_000 => number * 1_000_000,
                < 100_000_000_000_000_000 => number * 1_000,
                _ => number,
            };
            return true;
        }

        // A '+' of an offset that was not URL-encoded arrives as a space.
        if (DateTimeOffset.TryParse(text.Replace(' ', '+'), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
        {
            unixNano = (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            return true;
        }

        return false;
    }
}
