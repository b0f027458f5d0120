using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrderSystem.ServiceDefaults.Grpc;

namespace OrderSystem.Dashboard.Otlp;

/// <summary>
/// OTLP/gRPC: the collector services' unary <c>Export</c> methods on the project's own gRPC transport, served on the
/// h2c endpoint (<c>Kestrel:Endpoints:otlp-grpc</c>) so the stock exporter works with <c>OTEL_EXPORTER_OTLP_PROTOCOL=grpc</c>.
/// </summary>
public static class OtlpGrpcEndpoints
{
    public static readonly GrpcMethod<ExportTraceServiceRequest, ExportTraceServiceResponse> ExportTraces =
        new("opentelemetry.proto.collector.trace.v1.TraceService", "Export", ExportTraceServiceRequest.Parser, ExportTraceServiceResponse.Parser);

    public static readonly GrpcMethod<ExportLogsServiceRequest, ExportLogsServiceResponse> ExportLogs =
        new("opentelemetry.proto.collector.logs.v1.LogsService", "Export", ExportLogsServiceRequest.Parser, ExportLogsServiceResponse.Parser);

    public static readonly GrpcMethod<ExportMetricsServiceRequest, ExportMetricsServiceResponse> ExportMetrics =
        new("opentelemetry.proto.collector.metrics.v1.MetricsService", "Export", ExportMetricsServiceRequest.Parser, ExportMetricsServiceResponse.Parser);

    public static IEndpointRouteBuilder MapOtlpGrpcReceiver(this IEndpointRouteBuilder endpoints)
    {
        var receiver = endpoints.ServiceProvider.GetRequiredService<OtlpReceiver>();
        endpoints.MapGrpcUnary(ExportTraces, (request, _) => Task.FromResult(receiver.Export(request)));
        endpoints.MapGrpcUnary(ExportLogs, (request, _) => Task.FromResult(receiver.Export(request)));
        endpoints.MapGrpcUnary(ExportMetrics, (request, _) => Task.FromResult(receiver.Export(request)));
        return endpoints;
    }
}
