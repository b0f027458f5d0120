using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderSystem.ServiceDefaults;
using OrderSystem.ServiceDefaults.Configuration;
using OrderSystem.ServiceDefaults.Health;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The defaults every OrderSystem service shares, shaped like Aspire's ServiceDefaults template:
/// OpenTelemetry, health checks, service discovery and the standard resilience handler for HttpClient.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Binds every HttpClient's standard resilience handler (<c>HttpStandardResilienceOptions</c>); the tests shorten the retry delay there.</summary>
    private const string HttpResilienceSectionName = "Resilience:Http";

    /// <summary>Prefix of the project's own sources and meters (Kafka, fault switches, the services' business spans).</summary>
    private const string OrderSystemSources = "OrderSystem.*";

    private const string GrpcHealthServicePath = "/grpc.health.v1.Health";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        StartupConfigurationGuard.Install();
        builder.Services.TryAddSingleton(TimeProvider.System);

        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });
        // Every standard handler's options, whatever its name: the default one and any a service adds for one client.
        var resilience = builder.Configuration.GetSection(HttpResilienceSectionName);
        builder.Services.ConfigureAll<HttpStandardResilienceOptions>(options => resilience.Bind(options));

        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs exported over OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. The SDK reads the other
    /// OTEL_* variables itself: protocol, headers, batch delays, and the sampler (<c>OTEL_TRACES_SAMPLER</c>,
    /// <c>OTEL_TRACES_SAMPLER_ARG</c>; parent-based always-on when unset).
    /// </summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        DistributedContextPropagator.Current = DistributedContextPropagator.CreateW3CPropagator();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var applicationName = builder.Environment.ApplicationName;
        var otel = builder.Services.AddOpenTelemetry()
            // The environment detector comes last so OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the default name.
            .ConfigureResource(resource => resource.Clear()
                .AddService(applicationName.ToLowerInvariant())
                .AddTelemetrySdk()
                .AddEnvironmentVariableDetector())
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql", OrderSystemSources, applicationName))
            .WithTracing(tracing => tracing
                .AddSource("Npgsql", OrderSystemSources, applicationName)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path);
                    aspNetCore.RecordException = true;
                    aspNetCore.EnrichWithHttpResponse = EnrichServerSpan;
                })
                // One CLIENT span per gRPC attempt, carrying the call's context and baggage, without an HTTP span under it.
                .AddGrpcClientInstrumentation(grpc => grpc.SuppressDownstreamInstrumentation = true)
                .AddHttpClientInstrumentation()
                .AddProcessor<ServerSpanProcessor>());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Liveness only says the process answers; readiness (/health) runs every dependency check.
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c> and <c>/alive</c>, anonymous even where a fallback policy requires a user (the diagnostics service):
    /// the AppHost's health checks carry no credentials.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains("live"),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).AllowAnonymous();
        return app;
    }

    /// <summary>Probes are not traced, and parent-based sampling drops their children (the checks' queries) too.</summary>
    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(GrpcHealthServicePath);

    /// <summary>What the instrumentation misses: a request the exception handler answered keeps its route.</summary>
    private static void EnrichServerSpan(Activity activity, HttpResponse response)
    {
        var context = response.HttpContext;
        // The exception handler clears the endpoint before it writes its answer; the feature keeps the one that failed.
        if (activity.GetTagItem("http.route") is null
            && context.Features.Get<IExceptionHandlerFeature>()?.Endpoint is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{context.Request.Method} {route}";
        }
    }
}
