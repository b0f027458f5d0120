using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderSystem.Diagnostics.Authentication;

namespace OrderSystem.Tests.Diagnostics;

/// <summary>
/// The stock OpenTelemetry SDK and OTLP exporter (http/protobuf), pointed at a test dashboard with its
/// <c>x-otlp-api-key</c>, as the AppHost configures the services' exporters.
/// </summary>
internal static class OtlpExporters
{
    /// <summary>The stock exporter over OTLP/gRPC (h2c) to the dashboard's gRPC endpoint.</summary>
    public static TracerProvider GrpcTracing(DiagnosticsServer dashboard, string serviceName, string sourceName) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                options.Protocol = OtlpExportProtocol.Grpc;
                // No trailing slash: the exporter appends "/opentelemetry.proto.collector.trace.v1.TraceService/Export".
                options.Endpoint = new Uri(dashboard.OtlpGrpcAddress.GetLeftPart(UriPartial.Authority));
                options.Headers = ApiKeyHeader(dashboard);
                options.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();

    public static TracerProvider Tracing(DiagnosticsServer dashboard, string serviceName, string sourceName) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName, serviceInstanceId: $"{serviceName}-1"))
            .AddSource(sourceName)
            .AddOtlpExporter(options => Configure(options, dashboard, "v1/traces"))
            .Build();

    public static MeterProvider Metrics(DiagnosticsServer dashboard, string serviceName, string meterName) =>
        Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddMeter(meterName)
            .AddOtlpExporter(options => Configure(options, dashboard, "v1/metrics"))
            .Build();

    public static ILoggerFactory Logging(DiagnosticsServer dashboard, string serviceName) =>
        LoggerFactory.Create(logging => logging.AddOpenTelemetry(options =>
        {
            options.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName));
            options.IncludeFormattedMessage = true;
            options.AddOtlpExporter((exporter, processor) =>
            {
                Configure(exporter, dashboard, "v1/logs");
                processor.ExportProcessorType = ExportProcessorType.Simple;
            });
        }));

    public static void Configure(OtlpExporterOptions options, DiagnosticsServer dashboard, string signalPath)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(dashboard.BaseAddress, signalPath);
        options.Headers = ApiKeyHeader(dashboard);
        // Export on span end, so a test only waits for the HTTP round trip, not a batch delay.
        options.ExportProcessorType = ExportProcessorType.Simple;
    }

    /// <summary>What the AppHost puts in <c>OTEL_EXPORTER_OTLP_HEADERS</c>.</summary>
    private static string ApiKeyHeader(DiagnosticsServer dashboard) => $"{OtlpApiKeyAuthenticationHandler.HeaderName}={dashboard.OtlpApiKey}";
}
