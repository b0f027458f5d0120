using Microsoft.Extensions.Configuration;

namespace OrderSystem.AppHost.Services;

public static class ServiceEndpointExtensions
{
    /// <summary>
    /// Adds a cleartext HTTP/2 endpoint named <paramref name="name"/> beside the project's <c>http</c> one. gRPC without
    /// TLS needs an endpoint that speaks only HTTP/2 (h2c with prior knowledge), so each endpoint is given to Kestrel with
    /// its own protocols rather than through <c>ASPNETCORE_URLS</c>. Clients find it as <c>services__{project}__{name}__0</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithHttp2Endpoint(this IResourceBuilder<ProjectResource> builder, string name = "grpc")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WithHttpEndpoint(name: name).WithEndpoint(name, endpoint => endpoint.Transport = "http2");
        return builder.WithEnvironment(context =>
        {
            var host = context.ExecutionContext.IsRunMode ? "localhost" : "*";
            foreach (var endpoint in builder.Resource.GetEndpoints().Where(endpoint => endpoint.IsHttp))
            {
                var prefix = $"Kestrel__Endpoints__{endpoint.EndpointName}__";
                context.EnvironmentVariables[prefix + "Url"] = ReferenceExpression.Create($"http://{host}:{endpoint.Property(EndpointProperty.TargetPort)}");
                context.EnvironmentVariables[prefix + "Protocols"] = endpoint.EndpointAnnotation.Transport == "http2" ? "Http2" : "Http1";
            }
        });
    }

    /// <summary>The setting with which Aspire.Hosting.Testing (and the tests' own AppHost runs) has DCP choose every port.</summary>
    private const string RandomizePortsKey = "DcpPublisher:RandomizePorts";

    /// <summary>
    /// Has the project serve its endpoints (all of them, or those named) itself instead of behind DCP's proxy. The proxy
    /// keeps a port open while the process restarts and spreads load over replicas, which these single-instance
    /// services do not need; on every request and every OTLP export it is one more hop, and under load DCP used a
    /// tenth of a core relaying them (docs/benchmarks.md). The ports stay what they were: a launch profile's or
    /// Kestrel's port when the AppHost runs, and one DCP chooses where ports are randomized (Aspire.Hosting.Testing), as
    /// the proxy's would be. Call it once the project's endpoints are declared.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProxylessEndpoints(this IResourceBuilder<ProjectResource> builder, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(names);
        var endpoints = builder.Resource.Annotations.OfType<EndpointAnnotation>()
            .Where(endpoint => names.Length == 0 || names.Contains(endpoint.Name, StringComparer.Ordinal))
            .ToList();
        if (endpoints.Count == 0 || endpoints.Count < names.Length)
        {
            throw new DistributedApplicationException($"'{builder.Resource.Name}' has no endpoint {string.Join(" or ", names)} to serve without the proxy.");
        }

        var randomizePorts = builder.ApplicationBuilder.Configuration.GetValue<bool>(RandomizePortsKey);
        foreach (var endpoint in endpoints)
        {
            endpoint.IsProxied = false;
            if (randomizePorts)
            {
                // A fixed port is now the process's own, which DCP does not randomize: two AppHosts would both bind it.
                endpoint.Port = null;
            }
        }

        return builder;
    }
}
