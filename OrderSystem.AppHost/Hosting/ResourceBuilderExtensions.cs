namespace OrderSystem.AppHost.Hosting;

/// <summary>The model's verbs, named as in Aspire: references inject configuration, waits order the start.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>
    /// Injects <c>ConnectionStrings__{name}</c> with the source's connection string: into a project, and into the local
    /// Kafka broker process (its runner applies the environment; the manifest's container images take none).
    /// </summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResourceWithConnectionString> source, string? connectionName = null)
        where T : Resource
    {
        var name = connectionName ?? source.Resource.Name;
        builder.Resource.EnvironmentCallbacks.Add(context =>
            context.Variables[$"ConnectionStrings__{name}"] = context.IsPublishMode
                ? $"{{{source.Resource.Name}.connectionString}}"
                : source.Resource.GetConnectionString());
        builder.Resource.References.Add((Resource)source.Resource);
        return builder;
    }

    /// <summary>Injects <c>services__{name}__{endpoint}__0</c> for each endpoint of another project (service discovery).</summary>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<ProjectResource> source)
        where T : ProjectResource
    {
        builder.Resource.EnvironmentCallbacks.Add(context =>
        {
            foreach (var endpoint in source.Resource.Endpoints)
            {
                context.Variables[$"services__{source.Resource.Name}__{endpoint.Name}__0"] = context.IsPublishMode
                    ? $"{{{source.Resource.Name}.bindings.{endpoint.Name}.url}}"
                    : endpoint.Url;
            }
        });
        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        if (!builder.Resource.WaitsFor.Contains(dependency.Resource))
        {
            builder.Resource.WaitsFor.Add(dependency.Resource);
        }

        return builder;
    }

    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string value)
        where T : Resource
    {
        builder.Resource.EnvironmentCallbacks.Add(context => context.Variables[name] = value);
        return builder;
    }

    /// <summary>Injects a parameter's value (a secret) as an environment variable.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, IResourceBuilder<ParameterResource> parameter)
        where T : ProjectResource
    {
        builder.Resource.EnvironmentCallbacks.Add(context => context.Variables[name] = context.IsPublishMode
            ? $"{{{parameter.Resource.Name}.value}}"
            : parameter.Resource.Value);
        builder.Resource.References.Add(parameter.Resource);
        return builder;
    }

    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, string name = "http", int? port = null)
        where T : Resource
    {
        builder.Resource.Endpoints.Add(new EndpointAnnotation(name, "http", "http") { RequestedPort = port });
        return builder;
    }

    /// <summary>A cleartext HTTP/2 endpoint (h2c, prior knowledge) for gRPC, named <c>grpc</c> like Aspire's convention.</summary>
    public static IResourceBuilder<T> WithGrpcEndpoint<T>(this IResourceBuilder<T> builder, string name = "grpc")
        where T : ProjectResource
    {
        builder.Resource.Endpoints.Add(new EndpointAnnotation(name, "http", "http2"));
        return builder;
    }

    /// <summary>Marks the HTTP endpoints reachable from outside the application (the manifest's <c>external: true</c>).</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder)
        where T : Resource
    {
        foreach (var endpoint in builder.Resource.Endpoints.Where(e => e.Scheme is "http" or "https"))
        {
            endpoint.IsExternal = true;
        }

        return builder;
    }
}
