using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderSystem.Diagnostics.Diagnosis;
using OrderSystem.Diagnostics.Plans;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

/// <summary>
/// Diagnosis endpoints (docs/diagnosis.md): one trace, the slowest requests of an operation against the rest, and a
/// before/after comparison of two time windows. Answers use Jaeger's envelope and error shape like the rest of the API.
/// </summary>
public static class DiagnosisApi
{
    private const double DefaultSlowestPercent = 5;
    private static readonly TimeSpan DefaultLookback = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapDiagnosisApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/diagnose/traces/{traceId}", async (string traceId, TraceStore store, TraceAnalyzer analyzer, MissingIndexAdvisor advisor, CancellationToken cancellationToken) =>
        {
            if (!TraceId.TryParse(traceId, out var id))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, $"'{traceId}' is not a trace id (up to 32 hex digits)");
            }

            if (store.GetTrace(id) is not { } trace)
            {
                return JaegerQueryApi.Error(StatusCodes.Status404NotFound, "trace not found");
            }

            var diagnosis = await advisor.AdviseAsync(trace, analyzer.Analyze(trace), cancellationToken);
            return Results.Json(new JaegerResponse<TraceDiagnosis>(diagnosis, 1), DiagnosisJsonContext.Default.JaegerResponseTraceDiagnosis);
        });

        endpoints.MapGet("/api/diagnose", (HttpRequest request, TraceSetAnalyzer analyzer, TimeProvider timeProvider) =>
        {
            var query = request.Query;
            if (!TryReadService(query, out var service, out var operation, out var problem)
                || !TryReadWindow(query, timeProvider, out var start, out var end, out problem)
                || !TryReadPercent(query["slowestPercent"], out var percent, out problem))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, problem);
            }

            var diagnosis = analyzer.Analyze(service, operation, start, end, percent);
            return Results.Json(
                new JaegerResponse<TraceSetDiagnosis>(diagnosis, diagnosis.Slow.Requests.Count + diagnosis.Rest.Requests.Count),
                DiagnosisJsonContext.Default.JaegerResponseTraceSetDiagnosis);
        });

        endpoints.MapGet("/api/compare", (HttpRequest request, WindowComparison comparison, TimeProvider timeProvider) =>
        {
            var query = request.Query;
            if (!TryReadService(query, out var service, out var operation, out var problem)
                || !TryReadTime(query, "afterStart", timeProvider, null, out var afterStart, out problem)
                || !TryReadTime(query, "afterEnd", timeProvider, "now", out var afterEnd, out problem)
                || !TryReadTime(query, "beforeStart", timeProvider, null, out var beforeStart, out problem)
                || !TryReadTime(query, "beforeEnd", timeProvider, query["afterStart"], out var beforeEnd, out problem)
                || !TryCheckOrder("before", beforeStart, beforeEnd, out problem)
                || !TryCheckOrder("after", afterStart, afterEnd, out problem))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, problem);
            }

            var result = comparison.Compare(service, operation, (beforeStart, beforeEnd), (afterStart, afterEnd));
            return Results.Json(
                new JaegerResponse<WindowComparisonResult>(result, result.Before.Requests.Count + result.After.Requests.Count),
                DiagnosisJsonContext.Default.JaegerResponseWindowComparisonResult);
        });

        return endpoints;
    }

    private static bool TryReadService(IQueryCollection query, out string service, out string? operation, out string problem)
    {
        service = query["service"].ToString();
        operation = string.IsNullOrEmpty(query["operation"]) ? null : query["operation"].ToString();
        problem = string.IsNullOrEmpty(service) ? "service is required" : string.Empty;
        return problem.Length == 0;
    }

    /// <summary><c>start</c>/<c>end</c> when given, else <c>lookback</c> (default 15m) before <c>end</c> or now.</summary>
    private static bool TryReadWindow(IQueryCollection query, TimeProvider timeProvider, out long start, out long end, out string problem)
    {
        start = 0;
        if (!TryReadTime(query, "end", timeProvider, "now", out end, out problem))
        {
            return false;
        }

        if (!string.IsNullOrEmpty(query["start"]))
        {
            return TryReadTime(query, "start", timeProvider, null, out start, out problem) && TryCheckOrder("the window", start, end, out problem);
        }

        var lookbackText = query["lookback"].ToString();
        var lookback = (long)DefaultLookback.TotalNanoseconds;
        if (!string.IsNullOrEmpty(lookbackText) && (!GoDuration.TryParseNanoseconds(lookbackText, out lookback) || lookback <= 0))
        {
            problem = $"lookback '{lookbackText}' is not a positive duration such as 15m or 1h";
            return false;
        }

        start = end - lookback;
        return true;
    }

    private static bool TryReadTime(IQueryCollection query, string name, TimeProvider timeProvider, string? fallback, out long unixNano, out string problem)
    {
        problem = string.Empty;
        var text = string.IsNullOrEmpty(query[name]) ? fallback : query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            unixNano = 0;
            problem = $"{name} is required";
            return false;
        }

        if (!TimeParameter.TryParse(text, timeProvider, out unixNano))
        {
            problem = $"{name} '{text}' is not a time: use Unix microseconds, an ISO 8601 time such as 2025-06-01T12:00:00Z, now or now-15m";
            return false;
        }

        return true;
    }

    private static bool TryCheckOrder(string what, long start, long end, out string problem)
    {
        problem = start < end ? string.Empty : $"{what} must start before it ends";
        return problem.Length == 0;
    }

    private static bool TryReadPercent(string? text, out double percent, out string problem)
    {
        problem = string.Empty;
        percent = DefaultSlowestPercent;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out percent) || !(percent is > 0 and < 100))
        {
            problem = $"slowestPercent '{text}' must be a number above 0 and below 100";
            return false;
        }

        return true;
    }
}
