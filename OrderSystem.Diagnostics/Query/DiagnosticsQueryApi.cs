using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

/// <summary>The dashboard's own read endpoints beyond Jaeger's: trace summaries, logs, metrics and statistics.</summary>
public static class DiagnosticsQueryApi
{
    public static IEndpointRouteBuilder MapDiagnosticsQueryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/trace-summaries", (HttpRequest request, TraceStore store, TimeProvider timeProvider) =>
        {
            if (!TraceSearchParameters.TryParse(request.Query, timeProvider, out var query, out var problem))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, problem);
            }

            IReadOnlyList<TraceSummary> summaries = [.. store.FindTraces(query).Select(TraceSummary.From)];
            return Results.Json(new JaegerResponse<IReadOnlyList<TraceSummary>>(summaries, summaries.Count, query.Limit), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListTraceSummary);
        });

        endpoints.MapGet("/api/logs", (string? traceId, string? service, string? level, string? q, int? limit, LogStore store) =>
        {
            TraceId? trace = null;
            if (!string.IsNullOrEmpty(traceId))
            {
                if (!TraceId.TryParse(traceId, out var parsed))
                {
                    return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, $"'{traceId}' is not a trace id (up to 32 hex digits)");
                }

                trace = parsed;
            }

            var minSeverity = 0;
            if (!string.IsNullOrEmpty(level) && !LogSeverity.TryParseMinimum(level, out minSeverity))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, $"level '{level}' is not one of trace, debug, info, warn, error, fatal");
            }

            var query = new LogQuery
            {
                TraceId = trace,
                Service = string.IsNullOrEmpty(service) ? null : service,
                MinSeverityNumber = minSeverity,
                Text = string.IsNullOrEmpty(q) ? null : q,
                Limit = limit is > 0 ? Math.Min(limit.Value, LogQuery.MaxLimit) : LogQuery.DefaultLimit,
            };
            IReadOnlyList<LogView> logs = [.. store.Find(query).Select(LogView.From)];
            return Results.Json(new JaegerResponse<IReadOnlyList<LogView>>(logs, logs.Count, query.Limit), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListLogView);
        });

        endpoints.MapGet("/api/metrics", (string? service, MetricStore store) =>
        {
            IReadOnlyList<MetricView> metrics = [.. store.ListMetrics(string.IsNullOrEmpty(service) ? null : service)
                .Select(m => new MetricView(m.Service, m.Name, m.Description, m.Unit, m.Kind.ToString(), m.SeriesCount))];
            return Results.Json(new JaegerResponse<IReadOnlyList<MetricView>>(metrics, metrics.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListMetricView);
        });

        endpoints.MapGet("/api/metrics/series", (string? service, string? name, MetricStore store) =>
        {
            if (string.IsNullOrEmpty(service) || string.IsNullOrEmpty(name))
            {
                return JaegerQueryApi.Error(StatusCodes.Status400BadRequest, "service and name are required");
            }

            IReadOnlyList<MetricSeriesView> series = [.. store.GetSeries(service, name).Select(s => new MetricSeriesView(
                s.Service,
                s.Name,
                s.Unit,
                s.Kind.ToString(),
                [.. s.Attributes.Select(JaegerTraceMapper.MapTag)],
                [.. s.Points.Select(p => new MetricPointView(JaegerTraceMapper.Microseconds(p.TimeUnixNano), p.Value, p.Count, p.Sum))]))];
            return Results.Json(new JaegerResponse<IReadOnlyList<MetricSeriesView>>(series, series.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListMetricSeriesView);
        });

        endpoints.MapGet("/api/stats", (TraceStore traces, LogStore logs, MetricStore metrics, ReceiverStatistics receiver, OtlpForwarder forwarder, TailSampler sampler) =>
            Results.Json(
                new DiagnosticsStatistics(
                    traces.GetStatistics(),
                    new LogStoreStatistics(logs.Count, logs.EvictedCount),
                    metrics.SeriesCount,
                    receiver.Snapshot(),
                    forwarder.IsEnabled,
                    sampler.Snapshot()),
                DiagnosticsJsonContext.Default.DiagnosticsStatistics));

        return endpoints;
    }
}
