using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>A resource as the resource API and the dashboard see it. Secrets in connection strings are masked.</summary>
public sealed record ResourceSnapshot(string Name, string Type, string State, string Health, IReadOnlyList<string> Urls, string? ConnectionString, int? ExitCode, int? Pid)
{
    public static ResourceSnapshot From(ResourceRuntime runtime) => new(
        runtime.Resource.Name,
        runtime.Resource.Type,
        runtime.State.ToString(),
        runtime.Health.ToString(),
        runtime.Resource.Endpoints.Where(e => e.Port is not null).Select(e => e.Url).ToArray(),
        runtime.Resource is IResourceWithConnectionString withConnectionString && runtime.Resource.Endpoints.Concat(ServerEndpoints(runtime.Resource)).All(e => e.Port is not null)
            ? MaskPassword(withConnectionString.GetConnectionString())
            : null,
        runtime.ExitCode,
        runtime.Process is { Exited.IsCompleted: false } process ? process.Pid : null);

    private static IEnumerable<EndpointAnnotation> ServerEndpoints(Resource resource) =>
        resource is PostgresDatabaseResource database ? database.Server.Endpoints : [];

    private static string MaskPassword(string connectionString) =>
        System.Text.RegularExpressions.Regex.Replace(connectionString, "(?i)(password=)[^;,]*", "$1******");
}
