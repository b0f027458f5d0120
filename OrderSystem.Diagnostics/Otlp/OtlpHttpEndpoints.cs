using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace OrderSystem.Diagnostics.Otlp;

public static class OtlpHttpEndpoints
{
    /// <summary>Maps <c>POST /v1/traces</c>, <c>/v1/logs</c> and <c>/v1/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapOtlpHttpReceiver(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(OtlpSignalPaths.Traces, (HttpContext context, OtlpHttpReceiver http, OtlpReceiver receiver) =>
            http.HandleAsync<ExportTraceServiceRequest, ExportTraceServiceResponse>(context, ExportTraceServiceRequest.Parser, receiver.Export));
        endpoints.MapPost(OtlpSignalPaths.Logs, (HttpContext context, OtlpHttpReceiver http, OtlpReceiver receiver) =>
            http.HandleAsync<ExportLogsServiceRequest, ExportLogsServiceResponse>(context, ExportLogsServiceRequest.Parser, receiver.Export));
        endpoints.MapPost(OtlpSignalPaths.Metrics, (HttpContext context, OtlpHttpReceiver http, OtlpReceiver receiver) =>
            http.HandleAsync<ExportMetricsServiceRequest, ExportMetricsServiceResponse>(context, ExportMetricsServiceRequest.Parser, receiver.Export));
        return endpoints;
    }
}
