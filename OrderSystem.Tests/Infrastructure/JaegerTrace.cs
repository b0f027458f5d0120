using System.Text.Json;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>Reading a trace as the dashboard's Jaeger-style API returns it (<c>GET /api/traces/{traceId}</c>: <c>data[0]</c>).</summary>
internal static class JaegerTrace
{
    /// <summary>
    /// The trace once <paramref name="complete"/> holds for it: each service exports in batches on its own schedule,
    /// so a trace fills in over a few seconds.
    /// </summary>
    public static async Task<JsonElement> WaitForTraceAsync(this HttpClient dashboard, string traceId, Func<JsonElement, bool> complete, TimeSpan deadline, string what) =>
        await Eventually.WaitForValueAsync(
            async () =>
            {
                var token = TestContext.Current.CancellationToken;
                using var response = await dashboard.GetAsync($"/api/traces/{traceId}", token);
                if (!response.IsSuccessStatusCode)
                {
                    return (JsonElement?)null;
                }

                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(token));
                var trace = document.RootElement.GetProperty("data")[0].Clone();
                return complete(trace) ? trace : null;
            },
            deadline,
            $"{what} (trace {traceId}) in the dashboard");

    public static IEnumerable<JsonElement> Spans(JsonElement trace) => trace.GetProperty("spans").EnumerateArray();

    public static string SpanId(JsonElement span) => span.GetProperty("spanID").GetString()!;

    /// <summary>A tag's value as JSON writes it (<c>false</c>, <c>42</c>), strings without quotes.</summary>
    public static string? Tag(JsonElement span, string key) => span.GetProperty("tags").EnumerateArray()
        .Where(tag => tag.GetProperty("key").GetString() == key)
        .Select(tag => tag.GetProperty("value") is { ValueKind: JsonValueKind.String } text ? text.GetString() : tag.GetProperty("value").GetRawText())
        .FirstOrDefault();

    /// <summary>Npgsql 10 follows the newer database conventions (<c>db.system.name</c>); older instrumentations say <c>db.system</c>.</summary>
    public static string? DatabaseSystem(JsonElement span) => Tag(span, "db.system.name") ?? Tag(span, "db.system");

    public static bool IsPostgres(JsonElement span) => DatabaseSystem(span) == "postgresql";

    /// <summary>A database span's statement (<c>db.query.text</c>, or the older <c>db.statement</c>).</summary>
    public static string? Statement(JsonElement span) => Tag(span, "db.query.text") ?? Tag(span, "db.statement");

    /// <summary>
    /// Whether every span's parent is in the trace: each service exports on its own schedule, so until then a span
    /// whose children are missing looks as if it did all the work itself.
    /// </summary>
    public static bool IsConnected(JsonElement trace)
    {
        var ids = Spans(trace).Select(SpanId).ToHashSet();
        return Spans(trace).Count(span => ParentOf(span) is { } parent && !ids.Contains(parent)) == 0;
    }

    /// <summary>The span's parent span id; null for a root.</summary>
    public static string? ParentOf(JsonElement span) => span.GetProperty("references").EnumerateArray()
        .Where(r => r.GetProperty("refType").GetString() == "CHILD_OF").Select(r => r.GetProperty("spanID").GetString()).FirstOrDefault();

    /// <summary>The spans below <paramref name="ancestor"/> (children, their children, ...).</summary>
    public static IEnumerable<JsonElement> Descendants(JsonElement trace, JsonElement ancestor)
    {
        var spans = Spans(trace).ToArray();
        var parents = spans.ToDictionary(SpanId, ParentOf);
        var ancestorId = SpanId(ancestor);
        return spans.Where(span =>
        {
            var parent = parents[SpanId(span)];
            while (parent is not null)
            {
                if (parent == ancestorId)
                {
                    return true;
                }

                parent = parents.GetValueOrDefault(parent);
            }

            return false;
        });
    }
}
