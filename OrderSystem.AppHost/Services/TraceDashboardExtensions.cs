namespace OrderSystem.AppHost.Services;

public static class TraceDashboardExtensions
{
    public const string OtlpEndpointName = "otlp-grpc";

    /// <summary>
    /// The project's trace dashboard (OrderSystem.Dashboard): it receives every service's OTLP, keeps what it analyses
    /// (critical path, diagnosis, faults) and relays everything, unchanged, to the Aspire dashboard's OTLP/HTTP endpoint,
    /// so each resource's telemetry still shows under that resource there. Its endpoints, <c>http</c> and the h2c
    /// <c>otlp-grpc</c>, come from its appsettings' Kestrel section, which Aspire reads. Local only: the manifest does not
    /// carry it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddTraceDashboard(this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> faultSwitches)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var dashboard = builder.AddProject<Projects.OrderSystem_Dashboard>(name)
            .WithHttpHealthCheck("/health")
            .WithReference(faultSwitches)
            .ExcludeFromManifest();

        // The Aspire dashboard takes OTLP/HTTP only where the AppHost configures it (launchSettings.json); tests run without it.
        if (builder.Configuration["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] is { Length: > 0 } aspireOtlp)
        {
            dashboard
                .WithEnvironment("Dashboard__Forward__Endpoint", aspireOtlp)
                .WithEnvironment(context => context.EnvironmentVariables["Dashboard__Forward__ApiKey"] = builder.Configuration["AppHost:OtlpApiKey"] ?? string.Empty);
        }

        return dashboard;
    }

    /// <summary>Points the project's OTLP exporter at the trace dashboard instead of straight at the Aspire dashboard.</summary>
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
            .WaitFor(dashboard);
    }
}
