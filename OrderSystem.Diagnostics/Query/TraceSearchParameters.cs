using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

/// <summary>
/// Reads Jaeger's trace search parameters: service, operation, tags (a JSON object, or repeated tag=key:value),
/// minDuration/maxDuration (Go durations), start/end (Unix µs) or lookback, limit; plus errors=true.
/// </summary>
public static class TraceSearchParameters
{
    public static bool TryParse(IQueryCollection query, TimeProvider timeProvider, out TraceQuery traceQuery, out string problem)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(timeProvider);
        traceQuery = new TraceQuery();
        problem = string.Empty;

        if (!TryParseTags(query, out var tags, out problem)
            || !TryParseDuration(query, "minDuration", out var minDuration, out problem)
            || !TryParseDuration(query, "maxDuration", out var maxDuration, out problem)
            || !TryParseLong(query, "start", out var startMicros, out problem)
            || !TryParseLong(query, "end", out var endMicros, out problem)
            || !TryParseLong(query, "limit", out var limit, out problem))
        {
            return false;
        }

        if (startMicros is null && GoDuration.TryParseNanoseconds(query["lookback"], out var lookback))
        {
            var end = endMicros ?? (timeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1_000);
            startMicros = end - (lookback / 1_000);
        }

        traceQuery = new TraceQuery
        {
            Service = NullIfEmpty(query["service"]),
            Operation = NullIfEmpty(query["operation"]),
            Tags = tags,
            MinDurationNano = minDuration,
            MaxDurationNano = maxDuration,
            StartUnixNano = startMicros * 1_000,
            EndUnixNano = endMicros * 1_000,
            ErrorsOnly = string.Equals(query["errors"], "true", StringComparison.OrdinalIgnoreCase),
            Limit = limit is > 0 ? (int)Math.Min(limit.Value, TraceQuery.MaxLimit) : TraceQuery.DefaultLimit,
        };
        return true;
    }

    private static bool TryParseTags(IQueryCollection query, out List<KeyValuePair<string, string>> tags, out string problem)
    {
        tags = [];
        problem = string.Empty;
        foreach (var tag in query["tag"])
        {
            var separator = tag?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (separator <= 0)
            {
                problem = $"tag '{tag}' must be key:value";
                return false;
            }

            tags.Add(KeyValuePair.Create(tag![..separator], tag[(separator + 1)..]));
        }

        var json = query["tags"].ToString();
        if (string.IsNullOrWhiteSpace(json))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = "tags must be a JSON object such as {\"http.response.status_code\":\"500\"}";
                return false;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                tags.Add(KeyValuePair.Create(property.Name, value));
            }

            return true;
        }
        catch (JsonException exception)
        {
            problem = $"tags is not JSON: {exception.Message}";
            return false;
        }
    }

    private static bool TryParseDuration(IQueryCollection query, string name, out long? nanoseconds, out string problem)
    {
        nanoseconds = null;
        problem = string.Empty;
        var text = query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!GoDuration.TryParseNanoseconds(text, out var value))
        {
            problem = $"{name} '{text}' is not a duration such as 150ms, 1.5s or 2m";
            return false;
        }

        nanoseconds = value;
        return true;
    }

    private static bool TryParseLong(IQueryCollection query, string name, out long? value, out string problem)
    {
        value = null;
        problem = string.Empty;
        var text = query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = $"{name} '{text}' is not an integer";
            return false;
        }

        value = parsed;
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
