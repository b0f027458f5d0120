namespace OrderSystem.AppHost.Kafka;

/// <summary>
/// The OrderSystem.KafkaBroker project (librdkafka's mock cluster) as the <c>messaging</c> resource: a Kafka broker
/// on the wire, kept in memory, for machines without a container engine. Its connection string is the same
/// <c>host:port</c> as <see cref="KafkaServerResource"/>'s.
/// </summary>
public sealed class LocalKafkaBrokerResource(string name) : ProjectResource(name), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
