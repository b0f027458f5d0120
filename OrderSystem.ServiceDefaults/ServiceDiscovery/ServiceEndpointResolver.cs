using Microsoft.Extensions.Configuration;

namespace OrderSystem.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service URIs (<c>http://orders</c>, <c>https+http://orders</c>) from the configuration Aspire
/// injects: <c>services__{name}__{endpoint}__{index}</c>. A host that is not a configured service is left alone.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    public Uri Resolve(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var service = configuration.GetSection("services").GetSection(uri.Host);
        if (!service.Exists())
        {
            return uri;
        }

        foreach (var scheme in uri.Scheme.Split('+'))
        {
            // Aspire names endpoints by scheme; a gRPC endpoint is called "grpc" but is http on the wire.
            var endpoint = service.GetSection(scheme).GetSection("0").Value
                ?? (scheme == "http" ? service.GetSection("default").GetSection("0").Value : null);
            if (endpoint is not null)
            {
                var target = new Uri(endpoint);
                return new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
            }
        }

        throw new InvalidOperationException(
            $"service '{uri.Host}' has no '{uri.Scheme}' endpoint: set services__{uri.Host}__{uri.Scheme.Split('+')[^1]}__0.");
    }

    /// <summary>The base address of a named endpoint (<c>http</c>, <c>grpc</c>) of a service.</summary>
    public Uri GetEndpoint(string serviceName, string endpointName = "http") =>
        Resolve(new Uri($"{endpointName}://{serviceName}"));
}
