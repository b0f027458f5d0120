using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.AppHost.Services;

public static class DiagnosticsExtensions
{
    public const string OtlpEndpointName = "otlp-grpc";

    /// <summary>The name of the generated parameter that holds the diagnostics UI's and API's browser token.</summary>
    public const string TokenParameterName = "diagnostics-token";

    /// <summary>
    /// The project's trace dashboard (OrderSystem.Diagnostics): it receives every service's OTLP, keeps what it analyses
    /// (critical path, diagnosis, faults) and relays everything, unchanged, to the Aspire dashboard's OTLP/HTTP endpoint,
    /// so each resource's telemetry still shows under that resource there. Its endpoints, <c>http</c> and the h2c
    /// <c>otlp-grpc</c>, come from its appsettings' Kestrel section, which Aspire reads. Local only: the manifest does not
    /// carry it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddDiagnostics(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> faultSwitches)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var token = builder.AddParameter(TokenParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true)
            .ExcludeFromManifest();
        var dashboard = builder.AddProject<Projects.OrderSystem_Diagnostics>(name)
            .WithHttpHealthCheck("/health")
            .WithReference(faultSwitches)
            .WithEnvironment("Diagnostics__Frontend__BrowserToken", token)
            // The AppHost's environment: in Development, tail sampling is off and every trace is kept and forwarded.
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .ExcludeFromManifest();

        // Relay to where the Aspire dashboard really takes OTLP/HTTP (its port is random under Aspire.Hosting.Testing);
        // it has such an endpoint only when the AppHost configures one (launchSettings.json), and no dashboard in tests.
        dashboard.WithEnvironment(context =>
        {
            if (AspireDashboardEndpoint(context.ExecutionContext.Services, "otlp-http") is { } otlpHttp)
            {
                context.EnvironmentVariables["Diagnostics__Forward__Endpoint"] = otlpHttp;
                context.EnvironmentVariables["Diagnostics__Forward__ApiKey"] = builder.Configuration["AppHost:OtlpApiKey"] ?? string.Empty;
            }
        });

        return dashboard;
    }

    /// <summary>Aspire's name for its dashboard's resource.</summary>
    private const string AspireDashboardResourceName = "aspire-dashboard";

    /// <summary>An endpoint of the Aspire dashboard's own resource, when the dashboard runs and has it.</summary>
    public static EndpointReference? AspireDashboardEndpoint(IServiceProvider services, string endpointName)
    {
        ArgumentNullException.ThrowIfNull(services);
        var aspireDashboard = services.GetRequiredService<DistributedApplicationModel>().Resources
            .OfType<IResourceWithEndpoints>()
            .FirstOrDefault(resource => resource.Name == AspireDashboardResourceName);
        return aspireDashboard?.GetEndpoint(endpointName) is { Exists: true } endpoint ? endpoint : null;
    }

    /// <summary>
    /// Points the project's OTLP exporter at the diagnostics service instead of straight at the Aspire dashboard, as
    /// at a collector, and has it retry an export that meets the service down or restarting.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTraceExportTo(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> dashboard)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dashboard);
        if (builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        // Added after AddProject's own OTLP settings, so these win.
        return builder
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.GetEndpoint(OtlpEndpointName))
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
            // The OpenTelemetry .NET exporter retries transient failures (UNAVAILABLE, 503...) only when asked to.
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory")
            .WaitFor(dashboard);
    }
}
