namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// The environment a resource is being given. When running, callbacks write values; when publishing the manifest,
/// they write the manifest's expressions (<c>{ordersdb.connectionString}</c>) instead, as Aspire's callbacks do.
/// </summary>
public sealed class EnvironmentContext(Resource resource, bool isPublishMode = false)
{
    public Resource Resource { get; } = resource;

    public bool IsPublishMode { get; } = isPublishMode;

    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
}
