using OpenTelemetry.Proto.Collector.Metrics.V1;
using OpenTelemetry.Proto.Metrics.V1;
using OrderSystem.Diagnostics.Storage;

namespace OrderSystem.Diagnostics.Otlp;

/// <summary>Flattens OTLP metrics into one <see cref="MetricSample"/> per data point.</summary>
public sealed class OtlpMetricConverter(OtlpAttributeConverter attributes, OtlpResourceConverter resources, StringPool pool)
{
    public IReadOnlyList<MetricSample> Convert(ExportMetricsServiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var samples = new List<MetricSample>();
        foreach (var resourceMetrics in request.ResourceMetrics)
        {
            var resource = resources.Convert(resourceMetrics.Resource);
            foreach (var metric in resourceMetrics.ScopeMetrics.SelectMany(s => s.Metrics))
            {
                var name = pool.Intern(metric.Name);
                var description = pool.Intern(metric.Description);
                var unit = pool.Intern(metric.Unit);
                MetricSample Sample(MetricKind kind, Google.Protobuf.Collections.RepeatedField<OpenTelemetry.Proto.Common.V1.KeyValue> pointAttributes, MetricPoint point) =>
                    new(resource, name, description, unit, kind, attributes.Convert(pointAttributes), point);

                switch (metric.DataCase)
                {
                    case Metric.DataOneofCase.Gauge:
                        samples.AddRange(metric.Gauge.DataPoints.Select(p => Sample(MetricKind.Gauge, p.Attributes, Number(p))));
                        break;
                    case Metric.DataOneofCase.Sum:
                        samples.AddRange(metric.Sum.DataPoints.Select(p => Sample(MetricKind.Sum, p.Attributes, Number(p))));
                        break;
                    case Metric.DataOneofCase.Histogram:
                        samples.AddRange(metric.Histogram.DataPoints.Select(p =>
                            Sample(MetricKind.Histogram, p.Attributes, Aggregate(p.TimeUnixNano, p.Count, p.HasSum ? p.Sum : null))));
                        break;
                    case Metric.DataOneofCase.ExponentialHistogram:
                        samples.AddRange(metric.ExponentialHistogram.DataPoints.Select(p =>
                            Sample(MetricKind.ExponentialHistogram, p.Attributes, Aggregate(p.TimeUnixNano, p.Count, p.HasSum ? p.Sum : null))));
                        break;
                    case Metric.DataOneofCase.Summary:
                        samples.AddRange(metric.Summary.DataPoints.Select(p =>
                            Sample(MetricKind.Summary, p.Attributes, Aggregate(p.TimeUnixNano, p.Count, p.Sum))));
                        break;
                }
            }
        }

        return samples;
    }

    private static MetricPoint Number(NumberDataPoint point) => new(
        (long)point.TimeUnixNano,
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble);

    private static MetricPoint Aggregate(ulong timeUnixNano, ulong count, double? sum) =>
        new((long)timeUnixNano, count == 0 || sum is null ? 0 : sum.Value / count, count, sum);
}
