using Microsoft.Extensions.DependencyInjection;

namespace OrderSystem.AppHost.Services;

public static class DiagnosticsExtensions
{
    public const string OtlpEndpointName = "otlp-grpc";

    /// <summary>The name of the generated parameter that holds the diagnostics UI's and API's browser token.</summary>
    public const string TokenParameterName = "diagnostics-token";

    /// <summary>The name of the parameter that holds the <c>x-otlp-api-key</c> the services send and the diagnostics receiver requires.</summary>
    public const string OtlpApiKeyParameterName = "diagnostics-otlp-api-key";

    /// <summary>Shown for the login URL among the diagnostics resource's URLs in the Aspire dashboard.</summary>
    public const string LoginUrlDisplayText = "Diagnostics";

    /// <summary>
    /// The project's diagnostics service (OrderSystem.Diagnostics): it receives every service's OTLP, keeps what it analyses
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
        var otlpApiKey = builder.AddOtlpApiKey();
        var dashboard = builder.AddProject<Projects.OrderSystem_Diagnostics>(name)
            .WithHttpHealthCheck("/health")
            .WithReference(faultSwitches)
            .WithEnvironment("Diagnostics__Frontend__BrowserToken", token)
            // The AppHost's environment: in Development, tail sampling is off and every trace is kept and forwarded.
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
            .WithEnvironment("Diagnostics__Otlp__PrimaryApiKey", otlpApiKey)
            // Every service's telemetry comes in here: straight to the process, not through DCP's proxy.
            .WithProxylessEndpoints()
            .ExcludeFromManifest();

        // One click from the Aspire dashboard signs in: the UI's URL there is the login URL, with the token.
        dashboard.WithUrls(async context =>
        {
            var tokenValue = await token.Resource.GetValueAsync(context.CancellationToken);
            foreach (var url in context.Urls.Where(url => url.Endpoint?.EndpointName == "http"))
            {
                url.Url = LoginUrl(url.Url, tokenValue);
                url.DisplayText = LoginUrlDisplayText;
            }
        });

        // Relay to where the Aspire dashboard really takes OTLP/HTTP (its port is random under Aspire.Hosting.Testing),
        // and link each trace to the dashboard's page of it; it has such endpoints only when the AppHost configures
        // them (launchSettings.json), and no dashboard in tests.
        dashboard.WithEnvironment(context =>
        {
            var services = context.ExecutionContext.Services;
            if (AspireDashboardEndpoint(services, "otlp-http") is { } otlpHttp)
            {
                context.EnvironmentVariables["Diagnostics__Forward__Endpoint"] = otlpHttp;
                context.EnvironmentVariables["Diagnostics__Forward__ApiKey"] = builder.Configuration["AppHost:OtlpApiKey"] ?? string.Empty;
            }

            if (AspireDashboardEndpoint(services, "http") is { } aspireDashboard)
            {
                context.EnvironmentVariables["Diagnostics__AspireDashboardUrl"] = aspireDashboard;
            }
        });

        return dashboard;
    }

    /// <summary>The diagnostics UI's login URL: its address with the browser token, as the Aspire dashboard's.</summary>
    public static string LoginUrl(string baseUrl, string? token) =>
        $"{baseUrl.TrimEnd('/')}/login?t={Uri.EscapeDataString(token ?? string.Empty)}";

    /// <summary>
    /// The key both sides of the services' OTLP export use: the one Aspire gives its dashboard (the services' exporters
    /// already send it, and the relay passes it on), or, where Aspire gives none (Aspire.Hosting.Testing runs without a
    /// dashboard, as does an unsecured one), a generated one, so the receiver always requires a key.
    /// </summary>
    private static IResourceBuilder<ParameterResource> AddOtlpApiKey(this IDistributedApplicationBuilder builder)
    {
        var key = builder.Configuration["AppHost:OtlpApiKey"] is { Length: > 0 } aspireKey
            ? builder.AddParameter(OtlpApiKeyParameterName, aspireKey, secret: true)
            : builder.AddParameter(OtlpApiKeyParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
        return key.ExcludeFromManifest();
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

        // Added after AddProject's own OTLP settings, so these win. The header is Aspire's own when it gives one.
        var otlpApiKey = builder.ApplicationBuilder.Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == OtlpApiKeyParameterName);
        return builder
            .WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", dashboard.GetEndpoint(OtlpEndpointName))
            .WithEnvironment("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
            // The OpenTelemetry .NET exporter retries transient failures (UNAVAILABLE, 503...) only when asked to.
            .WithEnvironment("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory")
            .WithEnvironment("OTEL_EXPORTER_OTLP_HEADERS", ReferenceExpression.Create($"x-otlp-api-key={otlpApiKey}"))
            .WaitFor(dashboard);
    }
}
