using System.Globalization;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// A .NET project run from its build output with the environment an Aspire AppHost gives it: Kestrel endpoints,
/// references, and the OTLP settings pointing at the dashboard. Healthy when <c>/health</c> answers 200.
/// </summary>
public sealed class ProjectRunner(RunnerContext context) : ResourceRunner(context)
{
    public override TimeSpan StopGracePeriod => TimeSpan.FromSeconds(5);

    public override ProcessSpec CreateProcessSpec(ResourceRuntime runtime)
    {
        var project = (ProjectResource)runtime.Resource;
        var environment = new EnvironmentContext(project);
        var variables = environment.Variables;
        variables["ASPNETCORE_ENVIRONMENT"] = "Development";
        variables["DOTNET_ENVIRONMENT"] = "Development";
        variables["HostOptions__ShutdownTimeout"] = "00:00:04";
        variables["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";
        variables["Logging__Console__FormatterOptions__SingleLine"] = "true";

        foreach (var endpoint in project.Endpoints)
        {
            // Kestrel endpoints rather than ASPNETCORE_URLS: a gRPC endpoint needs Protocols=Http2 (cleartext h2c).
            variables[$"Kestrel__Endpoints__{endpoint.Name}__Url"] = endpoint.Url;
            variables[$"Kestrel__Endpoints__{endpoint.Name}__Protocols"] = endpoint.Transport == "http2" ? "Http2" : "Http1";
        }

        if (project is not DashboardResource && Context.Dashboard is { } dashboard)
        {
            AddOtlpEnvironment(variables, project, dashboard);
        }

        foreach (var callback in project.EnvironmentCallbacks)
        {
            callback(environment);
        }

        return new ProcessSpec(Context.Programs.DotnetHost, [project.Metadata.TargetPath], Path.GetDirectoryName(project.Metadata.ProjectPath)!, variables);
    }

    public override async Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        var project = (ProjectResource)runtime.Resource;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await Context.HealthClient.GetAsync(new Uri(project.GetEndpoint("http").Url + project.HealthCheckPath), timeout.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The OTEL_* variables Aspire sets in run mode (see README, "Aspire conventions").</summary>
    private static void AddOtlpEnvironment(Dictionary<string, string> variables, ProjectResource project, DashboardResource dashboard)
    {
        variables["OTEL_EXPORTER_OTLP_ENDPOINT"] = dashboard.OtlpEndpoint.Url;
        variables["OTEL_EXPORTER_OTLP_PROTOCOL"] = dashboard.OtlpProtocol;
        variables["OTEL_SERVICE_NAME"] = project.Name;
        variables["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{Guid.NewGuid().ToString("N")[..8]},deployment.environment.name=development";
        // Development: export within a second so a person sees a request in the dashboard right away.
        variables["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
        variables["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
        variables["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        variables["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES"] = "true";
        variables["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
        variables["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
        variables["OTEL_METRICS_EXEMPLAR_FILTER"] = "trace_based";
        variables["OTEL_EXPORTER_OTLP_TIMEOUT"] = 10_000.ToString(CultureInfo.InvariantCulture);
    }
}
