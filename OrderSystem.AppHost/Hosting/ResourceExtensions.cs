namespace OrderSystem.AppHost.Hosting;

/// <summary>How each kind of resource is added to the model, with Aspire's names, endpoints and defaults.</summary>
public static class ResourceExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddParameter($"{name}-password");
        var server = builder.AddResource(new PostgresServerResource(name, password.Resource));
        server.Resource.Endpoints.Add(new EndpointAnnotation("tcp", "tcp", "tcp", targetPort: 5432));
        return server;
    }

    /// <summary>A database the AppHost creates on the server once it is up (Aspire does the same in run mode since 9.2).</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name)
    {
        var database = new PostgresDatabaseResource(name, server.Resource);
        database.WaitsFor.Add(server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name)
    {
        var password = builder.AddParameter($"{name}-password");
        var redis = builder.AddResource(new RedisResource(name, password.Resource));
        redis.Resource.Endpoints.Add(new EndpointAnnotation("tcp", "tcp", "tcp", targetPort: 6379));
        return redis;
    }

    public static IResourceBuilder<KafkaServerResource> AddKafka(this DistributedApplicationBuilder builder, string name)
    {
        var kafka = builder.AddResource(new KafkaServerResource(name, new Projects.OrderSystem_KafkaBroker()));
        kafka.Resource.Endpoints.Add(new EndpointAnnotation("tcp", "tcp", "tcp", targetPort: 9092));
        return kafka;
    }

    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var project = builder.AddResource(new ProjectResource(name, new TProject()));
        return project.WithHttpEndpoint();
    }

    /// <summary>The trace dashboard; every project exports its telemetry to it and waits for it.</summary>
    public static IResourceBuilder<DashboardResource> AddDashboard<TProject>(this DistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        var dashboard = builder.AddResource(new DashboardResource(name, new TProject()) { ExcludedFromManifest = true });
        dashboard.WithHttpEndpoint();
        dashboard.Resource.Endpoints.Add(new EndpointAnnotation("otlp-grpc", "http", "http2"));
        return dashboard;
    }
}
