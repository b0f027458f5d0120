using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>
/// The OTLP export service, independent of transport: OTLP/HTTP decodes a request and calls Export, and so will
/// the OTLP/gRPC endpoint. Stores what is valid, reports the rest as a partial success, and forwards what it keeps
/// when forwarding is configured: the spans of the traces that tail sampling keeps, every log record and metric.
/// </summary>
public sealed class OtlpReceiver(
    TailSampler traces,
    LogStore logs,
    MetricStore metrics,
    OtlpTraceConverter traceConverter,
    OtlpLogConverter logConverter,
    OtlpMetricConverter metricConverter,
    OtlpForwarder forwarder,
    ReceiverStatistics statistics)
{
    public ExportTraceServiceResponse Export(ExportTraceServiceRequest request)
    {
        var conversion = traceConverter.Convert(request, withSources: forwarder.IsEnabled);
        traces.Add(conversion.Spans);
        statistics.Spans(conversion.Spans.Count, conversion.Rejected);
        return conversion.Rejected == 0
            ? new ExportTraceServiceResponse()
            : new ExportTraceServiceResponse
            {
                PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = conversion.Rejected, ErrorMessage = conversion.RejectionReason },
            };
    }

    public ExportLogsServiceResponse Export(ExportLogsServiceRequest request)
    {
        var records = logConverter.Convert(request);
        logs.Add(records);
        statistics.Logs(records.Count);
        forwarder.Forward(OtlpSignal.Logs, request);
        return new ExportLogsServiceResponse();
    }

    public ExportMetricsServiceResponse Export(ExportMetricsServiceRequest request)
    {
        var samples = metricConverter.Convert(request);
        var rejected = metrics.Add(samples);
        statistics.DataPoints(samples.Count - rejected, rejected);
        forwarder.Forward(OtlpSignal.Metrics, request);
        return rejected == 0
            ? new ExportMetricsServiceResponse()
            : new ExportMetricsServiceResponse
            {
                PartialSuccess = new ExportMetricsPartialSuccess
                {
                    RejectedDataPoints = rejected,
                    ErrorMessage = $"The dashboard holds at most {metrics.SeriesCount} metric series; points of new series were dropped.",
                },
            };
    }
}
