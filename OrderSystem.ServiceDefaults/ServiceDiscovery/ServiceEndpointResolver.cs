using Microsoft.Extensions.Configuration;
using OrderSystem.ServiceDefaults.Configuration;

namespace OrderSystem.ServiceDefaults.ServiceDiscovery;

/// <summary>
/// Resolves logical service URIs (<c>http://orders</c>, <c>https+http://orders</c>, and a named endpoint as
/// Microsoft.Extensions.ServiceDiscovery spells it, <c>http://_grpc.orders</c>) from the configuration Aspire
/// injects: <c>services__{name}__{endpoint}__{index}</c>. A host that is not a configured service is left alone.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    public Uri Resolve(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (TryParseNamedEndpoint(uri.Host, out var serviceName, out var endpointName))
        {
            var address = configuration.GetSection("services").GetSection(serviceName).GetSection(endpointName).GetSection("0").Value
                ?? throw new MissingConfigurationException(
                    $"service '{serviceName}' has no '{endpointName}' endpoint: set services__{serviceName}__{endpointName}__0 (the AppHost injects it).");
            return Rewrite(uri, new Uri(address));
        }

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
                return Rewrite(uri, new Uri(endpoint));
            }
        }

        throw new InvalidOperationException(
            $"service '{uri.Host}' has no '{uri.Scheme}' endpoint: set services__{uri.Host}__{uri.Scheme.Split('+')[^1]}__0.");
    }

    private static Uri Rewrite(Uri uri, Uri target) =>
        new UriBuilder(uri) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;

    /// <summary><c>_endpoint.service</c>: the endpoint named explicitly, whatever the URI's scheme.</summary>
    private static bool TryParseNamedEndpoint(string host, out string serviceName, out string endpointName)
    {
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        if (host.StartsWith('_') && dot > 1 && dot < host.Length - 1)
        {
            endpointName = host[1..dot];
            serviceName = host[(dot + 1)..];
            return true;
        }

        (serviceName, endpointName) = (string.Empty, string.Empty);
        return false;
    }
}
