using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Query;

/// <summary>
/// Jaeger's query API over the <see cref="TraceStore"/>: services, operations, trace search, trace by id and
/// service dependencies, in Jaeger's JSON shapes and error envelope.
/// </summary>
public static class JaegerQueryApi
{
    private static readonly TimeSpan DefaultDependencyLookback = TimeSpan.FromDays(1);

    public static IEndpointRouteBuilder MapJaegerQueryApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/services", (TraceStore store) =>
        {
            var services = store.GetServices();
            return Results.Json(new JaegerResponse<IReadOnlyList<string>>(services, services.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListString);
        });

        endpoints.MapGet("/api/services/{service}/operations", (string service, TraceStore store) =>
        {
            IReadOnlyList<string> names = [.. store.GetOperations(service).Select(o => o.Name)];
            return Results.Json(new JaegerResponse<IReadOnlyList<string>>(names, names.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListString);
        });

        endpoints.MapGet("/api/operations", (string? service, string? spanKind, TraceStore store) =>
        {
            if (string.IsNullOrEmpty(service))
            {
                return Error(StatusCodes.Status400BadRequest, "service is required");
            }

            IReadOnlyList<JaegerOperation> operations = [.. store.GetOperations(service)
                .Select(o => new JaegerOperation(o.Name, SpanTags.KindName(o.Kind) ?? string.Empty))
                .Where(o => string.IsNullOrEmpty(spanKind) || string.Equals(o.SpanKind, spanKind, StringComparison.OrdinalIgnoreCase))];
            return Results.Json(new JaegerResponse<IReadOnlyList<JaegerOperation>>(operations, operations.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListJaegerOperation);
        });

        endpoints.MapGet("/api/traces", (HttpRequest request, TraceStore store, TimeProvider timeProvider) =>
        {
            if (!TraceSearchParameters.TryParse(request.Query, timeProvider, out var query, out var problem))
            {
                return Error(StatusCodes.Status400BadRequest, problem);
            }

            IReadOnlyList<JaegerTrace> traces = [.. store.FindTraces(query).Select(JaegerTraceMapper.Map)];
            return Results.Json(new JaegerResponse<IReadOnlyList<JaegerTrace>>(traces, traces.Count, query.Limit), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListJaegerTrace);
        });

        endpoints.MapGet("/api/traces/{traceId}", (string traceId, TraceStore store) =>
        {
            if (!TraceId.TryParse(traceId, out var id))
            {
                return Error(StatusCodes.Status400BadRequest, $"'{traceId}' is not a trace id (up to 32 hex digits)");
            }

            if (store.GetTrace(id) is not { } trace)
            {
                return Error(StatusCodes.Status404NotFound, "trace not found");
            }

            return Results.Json(new JaegerResponse<IReadOnlyList<JaegerTrace>>([JaegerTraceMapper.Map(trace)], 1), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListJaegerTrace);
        });

        endpoints.MapGet("/api/dependencies", (long? endTs, long? lookback, TraceStore store, TimeProvider timeProvider) =>
        {
            var endMs = endTs ?? timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var lookbackMs = lookback ?? (long)DefaultDependencyLookback.TotalMilliseconds;
            if (lookbackMs < 0)
            {
                return Error(StatusCodes.Status400BadRequest, "lookback must not be negative");
            }

            IReadOnlyList<JaegerDependency> dependencies = [.. store.GetDependencies((endMs - lookbackMs) * 1_000_000, endMs * 1_000_000)
                .Select(d => new JaegerDependency(d.Parent, d.Child, d.CallCount, d.ErrorCount))];
            return Results.Json(new JaegerResponse<IReadOnlyList<JaegerDependency>>(dependencies, dependencies.Count), DiagnosticsJsonContext.Default.JaegerResponseIReadOnlyListJaegerDependency);
        });

        return endpoints;
    }

    /// <summary>Jaeger's error envelope, with the HTTP status repeated as the error code.</summary>
    public static IResult Error(int statusCode, string message) =>
        Results.Json(
            new JaegerResponse<object>(null, Errors: [new JaegerError(statusCode, message)]),
            DiagnosticsJsonContext.Default.JaegerResponseObject,
            statusCode: statusCode);
}
