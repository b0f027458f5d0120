using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderSystem.AppHost.Services;

namespace OrderSystem.AppHost.Infrastructure;

/// <summary>
/// Once the Gateway is healthy (it waits, directly or not, for every other resource), writes
/// <c>endpoints.json</c> in the state folder for scripts and the load generator, and says on the console where to look.
/// The file is readable by its owner only: it carries development secrets (connection strings, the Gateway's API key, the diagnostics token and OTLP key).
/// </summary>
public sealed partial class EndpointsFile(
    string path,
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    IConfiguration configuration,
    DistributedApplicationExecutionContext executionContext,
    IServiceProvider services,
    ILogger<EndpointsFile> logger) : BackgroundService
{
    public const string FileName = "endpoints.json";
    private const string GatewayResourceName = "gateway";
    private const string ApiKeyParameterName = "gateway-api-key";
    private const string DiagnosticsResourceName = "diagnostics";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (executionContext.IsPublishMode)
        {
            return;
        }

        try
        {
            await notifications.WaitForResourceHealthyAsync(GatewayResourceName, stoppingToken);
            var document = await CreateDocumentAsync(stoppingToken);
            await WriteAtomicallyAsync(path, document, stoppingToken);
            LogReady(document["gateway"]?.GetValue<string>(), document["dashboard"]?.GetValue<string>() ?? "(off)", document["diagnostics"]?.GetValue<string>(), path);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<JsonObject> CreateDocumentAsync(CancellationToken cancellationToken)
    {
        var resources = new JsonObject();
        foreach (var resource in model.Resources)
        {
            var entry = new JsonObject();
            if (resource is IResourceWithEndpoints withEndpoints)
            {
                foreach (var endpoint in withEndpoints.GetEndpoints().Where(endpoint => endpoint.IsAllocated))
                {
                    entry[endpoint.EndpointName] = endpoint.Url;
                }
            }

            if (resource is IResourceWithConnectionString withConnectionString)
            {
                entry["connectionString"] = await withConnectionString.GetConnectionStringAsync(cancellationToken);
            }

            if (entry.Count > 0)
            {
                resources[resource.Name] = entry;
            }
        }

        var gateway = model.Resources.OfType<ProjectResource>().Single(resource => resource.Name == GatewayResourceName);
        var diagnostics = model.Resources.OfType<ProjectResource>().Single(resource => resource.Name == DiagnosticsResourceName);
        var diagnosticsToken = await ParameterValueAsync(DiagnosticsExtensions.TokenParameterName, cancellationToken);
        return new JsonObject
        {
            ["gateway"] = gateway.GetEndpoint("http").Url,
            ["apiKey"] = await ParameterValueAsync(ApiKeyParameterName, cancellationToken),
            ["dashboard"] = DashboardLoginUrl(),
            ["diagnostics"] = DiagnosticsExtensions.LoginUrl(diagnostics.GetEndpoint("http").Url, diagnosticsToken),
            ["diagnosticsToken"] = diagnosticsToken,
            ["diagnosticsOtlp"] = diagnostics.GetEndpoint(DiagnosticsExtensions.OtlpEndpointName).Url,
            ["otlpApiKey"] = await ParameterValueAsync(DiagnosticsExtensions.OtlpApiKeyParameterName, cancellationToken),
            ["pid"] = Environment.ProcessId,
            ["resources"] = resources,
        };
    }

    private async Task<string?> ParameterValueAsync(string name, CancellationToken cancellationToken) =>
        model.Resources.OfType<ParameterResource>().SingleOrDefault(parameter => parameter.Name == name) is { } parameter
            ? await parameter.GetValueAsync(cancellationToken)
            : null;

    /// <summary>The Aspire dashboard's address with its browser token, as the AppHost prints it at start.</summary>
    private string? DashboardLoginUrl()
    {
        if (DiagnosticsExtensions.AspireDashboardEndpoint(services, "http") is not { IsAllocated: true } endpoint)
        {
            return null;
        }

        return configuration["AppHost:BrowserToken"] is { Length: > 0 } token ? $"{endpoint.Url}/login?t={token}" : endpoint.Url;
    }

    private static async Task WriteAtomicallyAsync(string path, JsonObject document, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OrderSystem is up. Gateway: {Gateway}  Aspire dashboard: {Dashboard}  Diagnostics: {Diagnostics}  (endpoints, the API key and the tokens: {Path})")]
    private partial void LogReady(string? gateway, string dashboard, string? diagnostics, string path);
}

public static class EndpointsFileExtensions
{
    public static IDistributedApplicationBuilder AddEndpointsFile(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var path = Path.Combine(StateDirectory.Get(builder), EndpointsFile.FileName);
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<EndpointsFile>(services, path));
        return builder;
    }
}
