using System.Text.Json;
using System.Text.Json.Nodes;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// <c>.ordersystem/endpoints.json</c>: where the running system is, for scripts, the load generator and the tests.
/// Owner-readable only, since it carries the development secrets (connection strings, the Gateway's API key).
/// </summary>
public static class EndpointsFile
{
    public const string GatewayResourceName = "gateway";
    public const string ApiKeyParameterName = "gateway-api-key";

    public static async Task WriteAsync(string path, IReadOnlyList<Resource> model, ApplicationOrchestrator orchestrator, string resourceServiceUrl, CancellationToken cancellationToken)
    {
        var resources = new JsonObject();
        foreach (var runtime in orchestrator.Runtimes)
        {
            var entry = new JsonObject { ["type"] = runtime.Resource.Type };
            foreach (var endpoint in runtime.Resource.Endpoints)
            {
                entry[endpoint.Name] = endpoint.Url;
            }

            if (runtime.Resource is IResourceWithConnectionString withConnectionString)
            {
                entry["connectionString"] = withConnectionString.GetConnectionString();
            }

            resources[runtime.Resource.Name] = entry;
        }

        var document = new JsonObject
        {
            ["gateway"] = orchestrator.Find(GatewayResourceName)?.Resource.GetEndpoint("http").Url,
            ["dashboard"] = orchestrator.Dashboard?.GetEndpoint("http").Url,
            ["otlp"] = orchestrator.Dashboard?.OtlpEndpoint.Url,
            ["otlpProtocol"] = orchestrator.Dashboard?.OtlpProtocol,
            ["apiKey"] = model.OfType<ParameterResource>().FirstOrDefault(p => p.Name == ApiKeyParameterName)?.Value,
            ["appHost"] = resourceServiceUrl,
            ["pid"] = Environment.ProcessId,
            ["resources"] = resources,
        };

        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Atomic: a reader never sees a half-written file.
        File.Move(temporary, path, overwrite: true);
    }
}
