using Microsoft.Extensions.DependencyInjection;
using OrderSystem.AppHost.Infrastructure;

namespace OrderSystem.AppHost.Redis;

public static class RedisBuilderExtensions
{
    /// <summary>The <c>cache</c> resource: Aspire's Redis container, or redis-server as a local process.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, string name, InfrastructureBacking backing)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (backing == InfrastructureBacking.Processes)
        {
            return builder.AddLocalRedis(name);
        }

        var redis = builder.AddRedis(name).WithDataVolume();
        if (builder.ExecutionContext.IsPublishMode)
        {
            // azd maps only http, https and tcp bindings to Container Apps ingress, and Aspire names this one "redis".
            redis.WithEndpoint("tcp", endpoint => endpoint.UriScheme = "tcp");
        }

        return redis;
    }

    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = new LocalRedisResource(name, StateDirectory.ForResource(builder, name), password);

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));
        var healthCheckKey = $"{name}_check";
        // A PING with the password, as Aspire's Redis resource checks.
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString ?? throw new InvalidOperationException("the connection string is not available yet"), healthCheckKey);

        // The password reaches redis-server through the environment rather than the command line the dashboard shows,
        // as Aspire's Redis container does. Nothing is saved: the cache and the fault switches start empty each run.
        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithEnvironment(context => context.EnvironmentVariables["REDIS_PASSWORD"] = password)
            .WithArgs(
                "-c",
                "exec redis-server --bind 127.0.0.1 --port \"$1\" --requirepass \"$REDIS_PASSWORD\" --save '' --appendonly no --dir .",
                "redis-server",
                redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort))
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey);
    }
}
