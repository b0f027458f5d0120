using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrderSystem.Diagnostics.Authentication;
using OrderSystem.Diagnostics.Audit;
using OrderSystem.Diagnostics.Diagnosis;
using OrderSystem.Diagnostics.Faults;
using OrderSystem.Diagnostics.Otlp;
using OrderSystem.Diagnostics.Query;
using OrderSystem.Diagnostics.Sampling;
using OrderSystem.Diagnostics.Storage;
using OrderSystem.ServiceDefaults.Faults;
using Grpc.AspNetCore.Server;

namespace OrderSystem.Diagnostics;

/// <summary>
/// Builds the diagnostics service: OTLP receiver and forwarder, tail sampling, embedded stores, Jaeger-compatible query
/// API, diagnosis, fault switches and web UI on the endpoints Kestrel is configured with (<c>Kestrel:Endpoints:http</c>,
/// <c>Kestrel:Endpoints:otlp-grpc</c>).
/// Tests and benchmarks start it in-process with <see cref="Create"/>.
/// </summary>
public static class DiagnosticsApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Started as `dotnet OrderSystem.Diagnostics.dll` from any directory, it still finds its appsettings.json.
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The dashboard does not send its own telemetry anywhere, least of all to itself: no OpenTelemetry here.
        builder.AddDefaultHealthChecks();
        AddDiagnosticsService(builder.Services);
        builder.AddFaultSwitches("cache", settings => settings.DisableTracing = true);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: the fallback policy keeps the UI's files for signed-in users too.
        app.UseDiagnosticsUi();
        app.MapDefaultEndpoints();
        app.MapLogin();

        var otlp = app.MapGroup("").RequireAuthorization(DiagnosticsAuthentication.OtlpPolicy);
        otlp.MapOtlpHttpReceiver();
        otlp.MapOtlpGrpcReceiver();

        var api = app.MapGroup("").RequireAuthorization(DiagnosticsAuthentication.FrontendPolicy);
        api.MapUiSettings();
        api.MapJaegerQueryApi();
        api.MapDiagnosticsQueryApi();
        api.MapDiagnosisApi();
        api.MapFaultApi();
        api.MapAuditApi();
        return app;
    }

    private static void AddDiagnosticsService(IServiceCollection services)
    {
        services.AddOptions<DiagnosticsOptions>()
            .BindConfiguration(DiagnosticsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MaxAge > TimeSpan.Zero, "Diagnostics:MaxAge must be positive.")
            .ValidateOnStart();

        services.AddDiagnosticsAuthentication();
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
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName);
        services.AddSingleton<AuditService>();

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
            .Configure<IOptions<DiagnosticsOptions>>((grpc, dashboard) => grpc.MaxReceiveMessageSize = dashboard.Value.MaxRequestBytes);
        services.AddSingleton<OtlpForwarder>();
        services.AddHostedService(sp => sp.GetRequiredService<OtlpForwarder>());
        services.AddHttpClient(OtlpForwarder.HttpClientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var forward = sp.GetRequiredService<IOptions<DiagnosticsOptions>>().Value.Forward;
                client.Timeout = forward.Timeout;
                if (!string.IsNullOrEmpty(forward.ApiKey))
                {
                    client.DefaultRequestHeaders.Add("x-otlp-api-key", forward.ApiKey);
                }
            });
    }
}
