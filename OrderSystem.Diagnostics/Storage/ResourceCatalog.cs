using System.Collections.Concurrent;

namespace OrderSystem.Diagnostics.Storage;

/// <summary>Hands out one shared <see cref="ResourceInfo"/> / <see cref="ScopeInfo"/> per distinct content.</summary>
public sealed class ResourceCatalog
{
    private const int MaxEntries = 10_000;
    private const string ServiceNameKey = "service.name";

    private readonly ConcurrentDictionary<string, ResourceInfo> _resources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, string Version), ScopeInfo> _scopes = new();

    public ResourceInfo GetResource(StoredAttribute[] attributes)
    {
        var key = AttributeSetKey.Of(attributes);
        if (_resources.TryGetValue(key, out var known))
        {
            return known;
        }

        if (_resources.Count >= MaxEntries)
        {
            _resources.Clear();
        }

        var serviceName = ResourceInfo.UnknownServiceName;
        foreach (var attribute in attributes)
        {
            if (attribute.Key == ServiceNameKey && attribute.Value.Length > 0)
            {
                serviceName = attribute.Value;
            }
        }

        return _resources.GetOrAdd(key, _ => new ResourceInfo(serviceName, attributes));
    }

    public ScopeInfo GetScope(string name, string version)
    {
        if (_scopes.Count >= MaxEntries)
        {
            _scopes.Clear();
        }

        return _scopes.GetOrAdd((name, version), static key => new ScopeInfo(key.Name, key.Version));
    }
}
