namespace OrderSystem.Diagnostics.Storage;

/// <summary>The resource that produced telemetry; one shared instance per distinct resource, not one per span.</summary>
public sealed class ResourceInfo(string serviceName, StoredAttribute[] attributes)
{
    public const string UnknownServiceName = "unknown_service";

    public string ServiceName { get; } = serviceName;

    public StoredAttribute[] Attributes { get; } = attributes;
}

/// <summary>The instrumentation scope (library) that produced telemetry; shared like <see cref="ResourceInfo"/>.</summary>
public sealed record ScopeInfo(string Name, string Version);
