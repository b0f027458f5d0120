namespace OrderSystem.Diagnostics.Storage;

/// <summary>A received log record; correlated with its span through <see cref="TraceId"/> and <see cref="SpanId"/>.</summary>
public sealed class StoredLog
{
    public long TimeUnixNano { get; init; }

    /// <summary>OTLP severity number, 1 (TRACE) to 24 (FATAL4); 0 when unspecified.</summary>
    public int SeverityNumber { get; init; }

    public string SeverityText { get; init; } = string.Empty;

    public string Body { get; init; } = string.Empty;

    public string? EventName { get; init; }

    public required ResourceInfo Resource { get; init; }

    public required ScopeInfo Scope { get; init; }

    public StoredAttribute[] Attributes { get; init; } = [];

    public TraceId TraceId { get; init; }

    public SpanId SpanId { get; init; }

    public long Sequence { get; internal set; }

    public long ReceivedAtUnixMs { get; internal set; }

    public string ServiceName => Resource.ServiceName;
}

/// <summary>The OTLP severity ranges by name (trace, debug, info, warn, error, fatal).</summary>
public static class LogSeverity
{
    private static readonly string[] Names = ["trace", "debug", "info", "warn", "error", "fatal"];

    /// <summary>The lowest severity number of a level name, e.g. "warn" or "warning" is 13.</summary>
    public static bool TryParseMinimum(string? level, out int severityNumber)
    {
        severityNumber = 0;
        if (string.IsNullOrWhiteSpace(level))
        {
            return false;
        }

        var name = level.Trim().ToLowerInvariant() switch
        {
            "warning" => "warn",
            "information" => "info",
            "critical" => "fatal",
            var other => other,
        };
        var index = Array.IndexOf(Names, name);
        if (index < 0)
        {
            return false;
        }

        severityNumber = (index * 4) + 1;
        return true;
    }

    /// <summary>The level name of a severity number, "unspecified" for 0.</summary>
    public static string Name(int severityNumber) =>
        severityNumber is >= 1 and <= 24 ? Names[(severityNumber - 1) / 4] : "unspecified";
}
