namespace OrderSystem.Diagnostics.Storage;

/// <summary>A log search: every given criterion must hold; <see cref="Text"/> is a case-insensitive substring.</summary>
public sealed record LogQuery
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 5_000;

    public TraceId? TraceId { get; init; }

    public string? Service { get; init; }

    public int MinSeverityNumber { get; init; }

    public string? Text { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public bool Matches(StoredLog log)
    {
        if (TraceId is { } traceId && log.TraceId != traceId)
        {
            return false;
        }

        if (Service is not null && !string.Equals(log.ServiceName, Service, StringComparison.Ordinal))
        {
            return false;
        }

        if (log.SeverityNumber < MinSeverityNumber)
        {
            return false;
        }

        return string.IsNullOrEmpty(Text)
            || log.Body.Contains(Text, StringComparison.OrdinalIgnoreCase)
            || (log.EventName?.Contains(Text, StringComparison.OrdinalIgnoreCase) ?? false)
            || log.Attributes.Any(a => a.Value.Contains(Text, StringComparison.OrdinalIgnoreCase));
    }
}
