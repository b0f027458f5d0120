using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrderSystem.ServiceDefaults.Telemetry;

public static class OpenTelemetryExtensions
{
    /// <summary>
    /// Traces, metrics and logs exported over OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (protocol, headers and
    /// batch delays from the standard OTEL_* variables).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var configuration = builder.Configuration;
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var resource = CreateResource(builder.Environment.ApplicationName);

        Sdk.SetDefaultTextMapPropagator(new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]));
        DistributedContextPropagator.Current = DistributedContextPropagator.CreateW3CPropagator();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            logging.SetResourceBuilder(resource);
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        var sampler = TraceSamplerFactory.Create(configuration);
        // Through OpenTelemetry.Extensions.Hosting, so the client integrations' instrumentation (the Redis spans that
        // Aspire.StackExchange.Redis adds with WithTracing) joins these providers; the host starts them and flushes
        // them when it stops.
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                tracing.SetResourceBuilder(resource)
                    .SetSampler(sampler)
                    .AddSource(TelemetrySources.TraceSources)
                    // One CLIENT span per gRPC attempt, carrying the call's context and baggage, without an HTTP span under it.
                    .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                    .AddSource(builder.Environment.ApplicationName);
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.SetResourceBuilder(resource)
                    .AddMeter(TelemetrySources.Meters)
                    .AddMeter(builder.Environment.ApplicationName);
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });

        builder.Services.AddTransient<IStartupFilter, HttpServerSpanStartupFilter>();
        return builder;
    }

    private static ResourceBuilder CreateResource(string applicationName) =>
        // The environment detector comes last so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
        ResourceBuilder.CreateEmpty()
            .AddService(applicationName.ToLowerInvariant())
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector();
}
