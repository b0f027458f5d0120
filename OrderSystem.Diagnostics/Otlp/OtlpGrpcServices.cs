using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>OTLP/gRPC traces: the collector's TraceService, generated from opentelemetry-proto.</summary>
public sealed class OtlpTraceGrpcService(OtlpReceiver receiver) : TraceService.TraceServiceBase
{
    public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context) =>
        Task.FromResult(receiver.Export(request));
}

/// <summary>OTLP/gRPC logs: the collector's LogsService.</summary>
public sealed class OtlpLogsGrpcService(OtlpReceiver receiver) : LogsService.LogsServiceBase
{
    public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(receiver.Export(request));
}

/// <summary>OTLP/gRPC metrics: the collector's MetricsService.</summary>
public sealed class OtlpMetricsGrpcService(OtlpReceiver receiver) : MetricsService.MetricsServiceBase
{
    public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context) =>
        Task.FromResult(receiver.Export(request));
}

public static class OtlpGrpcEndpoints
{
    /// <summary>
    /// OTLP/gRPC on Grpc.AspNetCore, served on the h2c endpoint (<c>Kestrel:Endpoints:otlp-grpc</c>) so the stock
    /// exporter works with <c>OTEL_EXPORTER_OTLP_PROTOCOL=grpc</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapOtlpGrpcReceiver(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<OtlpTraceGrpcService>();
        endpoints.MapGrpcService<OtlpLogsGrpcService>();
        endpoints.MapGrpcService<OtlpMetricsGrpcService>();
        return endpoints;
    }
}
