namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// A Kafka broker. Locally it is librdkafka's mock cluster in the OrderSystem.KafkaBroker process, which picks its own
/// port and reports it; published, it is the <c>confluent-local</c> container image.
/// </summary>
public sealed class KafkaServerResource(string name, IProjectMetadata brokerHost) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "kafka";

    public IProjectMetadata BrokerHost { get; } = brokerHost;

    public EndpointAnnotation PrimaryEndpoint => GetEndpoint("tcp");

    public string GetConnectionString() => $"{EndpointAnnotation.Loopback}:{PrimaryEndpoint.AllocatedPort}";

    public string ConnectionStringExpression => $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}}";
}
