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
}
