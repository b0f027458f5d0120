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
    /// Has the project serve its endpoints itself instead of behind DCP's proxy (Aspire's
    /// <c>WithEndpointProxySupport(false)</c>). The proxy keeps a port open while the process restarts and spreads load
    /// over replicas, which these single-instance services do not need; on every request and every OTLP export it is one
    /// more hop, and under load DCP used a tenth of a core relaying them (docs/benchmarks.md). The ports stay what they
    /// were: a launch profile's or Kestrel's port when the AppHost runs, and one DCP chooses where ports are randomized
    /// (Aspire.Hosting.Testing), as the proxy's would be. Call it once the project's endpoints are declared.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProxylessEndpoints(this IResourceBuilder<ProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
#pragma warning disable ASPIREPROXYENDPOINTS001 // Experimental in Aspire 13.6; this is the API it has for it.
        builder.WithEndpointProxySupport(proxyEnabled: false);
#pragma warning restore ASPIREPROXYENDPOINTS001
        if (builder.ApplicationBuilder.Configuration.GetValue<bool>(RandomizePortsKey))
        {
            // A proxyless endpoint's port is the process's own, which DCP does not randomize: two AppHosts would both bind it.
            foreach (var endpoint in builder.Resource.Annotations.OfType<EndpointAnnotation>())
            {
                endpoint.Port = null;
            }
        }

        return builder;
    }
}
