using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderSystem.Dashboard.Diagnosis;
using OrderSystem.Dashboard.Faults;
using OrderSystem.Dashboard.Otlp;
using OrderSystem.Dashboard.Query;
using OrderSystem.Dashboard.Resources;
using OrderSystem.Dashboard.Sampling;
using OrderSystem.Dashboard.Storage;
using OrderSystem.ServiceDefaults.Faults;
using Grpc.AspNetCore.Server;

namespace OrderSystem.Dashboard;

/// <summary>
/// Builds the dashboard: OTLP/HTTP receiver, embedded stores, Jaeger-compatible query API, resource proxy and web
/// UI on the endpoints Kestrel is configured with (<c>Kestrel:Endpoints:http</c>, <c>Kestrel:Endpoints:otlp-grpc</c>).
/// Tests and benchmarks start it in-process with <see cref="Create"/>.
/// </summary>
public static class DashboardApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Started as `dotnet OrderSystem.Dashboard.dll` from any directory, it still finds its appsettings.json.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The dashboard does not send its own telemetry anywhere, least of all to itself: no OpenTelemetry here.
        builder.AddDefaultHealthChecks();
        AddDashboard(builder.Services);
        builder.AddFaultSwitches("cache", settings => settings.DisableTracing = true);

        var app = builder.Build();
        app.UseDashboardUi();
        app.MapDefaultEndpoints();
        app.MapOtlpHttpReceiver();
        app.MapOtlpGrpcReceiver();
        app.MapJaegerQueryApi();
        app.MapDashboardQueryApi();
        app.MapDiagnosisApi();
        app.MapResourceApi();
        app.MapFaultApi();
        return app;
    }

    private static void AddDashboard(IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxAge > TimeSpan.Zero, "Dashboard:MaxAge must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<StringPool>();
        services.AddSingleton<ResourceCatalog>();
        services.AddSingleton<TraceStore>();
        services.AddSingleton<LogStore>();
        services.AddSingleton<MetricStore>();
        services.AddSingleton<IExpiringStore>(sp => sp.GetRequiredService<TraceStore>());
        services.AddSingleton<IExpiringStore>(sp => sp.GetRequiredService<LogStore>());
        services.AddSingleton<IExpiringStore>(sp => sp.GetRequiredService<MetricStore>());
        services.AddHostedService<RetentionSweeper>();
        services.AddTailSampling();
        services.AddDiagnosis();

        services.AddSingleton<OtlpAttributeConverter>();
        services.AddSingleton<OtlpResourceConverter>();
        services.AddSingleton<OtlpTraceConverter>();
        services.AddSingleton<OtlpLogConverter>();
        services.AddSingleton<OtlpMetricConverter>();
        services.AddSingleton<ReceiverStatistics>();
        services.AddSingleton<OtlpReceiver>();
        services.AddSingleton<OtlpHttpReceiver>();
        services.AddGrpc();
        services.AddOptions<GrpcServiceOptions>()
            .Configure<IOptions<DashboardOptions>>((grpc, dashboard) => grpc.MaxReceiveMessageSize = dashboard.Value.MaxRequestBytes);
        services.AddSingleton<OtlpForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<OtlpForwarder>());
        services.AddHttpClient(OtlpForwarder.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var forward = sp.GetRequiredService<IOptions<DashboardOptions>>().Value.Forward;
                client.Timeout = forward.Timeout;
                if (!string.IsNullOrEmpty(forward.ApiKey))
                {
                    client.DefaultRequestHeaders.Add("x-otlp-api-key", forward.ApiKey);
                }
            });

        services.AddHttpClient<ResourceServiceClient>(client => client.Timeout = TimeSpan.FromSeconds(5));
    }
}
