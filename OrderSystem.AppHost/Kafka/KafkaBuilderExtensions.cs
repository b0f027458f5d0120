using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderSystem.AppHost.Infrastructure;

namespace OrderSystem.AppHost.Kafka;

public static class KafkaBuilderExtensions
{
    private const int KafkaPort = 9092;
    private const int KafkaInternalPort = 9093;
    private const string KafkaPortText = "9092";
    private const string KafkaInternalPortText = "9093";

    /// <summary>
    /// The <c>messaging</c> resource: a Kafka container, or the local broker project. The local broker also acts out the
    /// <c>kafka-outage</c> fault, which it reads from the fault switches in <paramref name="faultSwitches"/>.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddKafkaBroker(
        this IDistributedApplicationBuilder builder, string name, InfrastructureBacking backing, IResourceBuilder<IResourceWithConnectionString> faultSwitches)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (backing == InfrastructureBacking.Containers)
        {
            return builder.AddKafka(name).WithDataVolume();
        }

        var broker = new LocalKafkaBrokerResource(name);
        // A project resource of its own type, so that it can carry a connection string like the Kafka container does.
#pragma warning disable ASPIREPROJECTS001 // WithProjectDefaults is what AddProject applies; the only way to give a custom project type the same defaults.
        return builder.AddResource(broker)
            .WithAnnotation<IProjectMetadata>(new Projects.OrderSystem_KafkaBroker())
            .WithProjectDefaults(new ProjectResourceOptions { ExcludeLaunchProfile = true })
#pragma warning restore ASPIREPROJECTS001
            .WithEndpoint(name: LocalKafkaBrokerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithEnvironment("Broker__Port", broker.PrimaryEndpoint.Property(EndpointProperty.TargetPort))
            .WithReference(faultSwitches).WaitFor(faultSwitches)
            .WithIconName("Mailbox")
            .WithKafkaHealthCheck();
    }

    /// <summary>Like Aspire.Hosting.Kafka's <c>AddKafka</c>: the confluent-local image as a single-node KRaft broker.</summary>
    public static IResourceBuilder<KafkaServerResource> AddKafka(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var kafka = new KafkaServerResource(name);
        return builder.AddResource(kafka)
            .WithEndpoint(targetPort: KafkaPort, port: port, name: KafkaServerResource.PrimaryEndpointName)
            .WithEndpoint(targetPort: KafkaInternalPort, name: KafkaServerResource.InternalEndpointName)
            .WithImage("confluentinc/confluent-local", "8.1.0")
            .WithImageRegistry("docker.io")
            .WithEnvironment(context =>
            {
                context.EnvironmentVariables["KAFKA_LISTENERS"] =
                    $"PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093,PLAINTEXT_HOST://0.0.0.0:{KafkaPort},PLAINTEXT_INTERNAL://0.0.0.0:{KafkaInternalPort}";
                context.EnvironmentVariables["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] =
                    "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT,PLAINTEXT_INTERNAL:PLAINTEXT";
                // Clients on the host reach the broker through its published port; containers through the internal one.
                context.EnvironmentVariables["KAFKA_ADVERTISED_LISTENERS"] = context.ExecutionContext.IsRunMode
                    ? ReferenceExpression.Create($"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://localhost:{kafka.PrimaryEndpoint.Property(EndpointProperty.Port)},PLAINTEXT_INTERNAL://{name}:{KafkaInternalPortText}")
                    : ReferenceExpression.Create($"PLAINTEXT://localhost:29092,PLAINTEXT_HOST://{name}:{KafkaPortText},PLAINTEXT_INTERNAL://{name}:{KafkaInternalPortText}");
            })
            .WithIconName("Mailbox")
            .WithKafkaHealthCheck();
    }

    /// <summary>Keeps the broker's log segments (and so its topics and offsets) across restarts.</summary>
    public static IResourceBuilder<KafkaServerResource> WithDataVolume(this IResourceBuilder<KafkaServerResource> builder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .WithVolume(name ?? VolumeNameGenerator.Generate(builder, "data"), "/var/lib/kafka/data")
            .WithEnvironment("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
    }

    private static IResourceBuilder<T> WithKafkaHealthCheck<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithConnectionString
    {
        var healthCheckKey = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new KafkaMetadataHealthCheck(builder.Resource), failureStatus: null, tags: null));
        return builder.WithHealthCheck(healthCheckKey);
    }
}
