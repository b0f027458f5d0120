namespace OrderSystem.AppHost.Kafka;

/// <summary>
/// A single-node Kafka broker in KRaft mode, shaped like Aspire.Hosting.Kafka's resource (that package is not served
/// here): a <c>tcp</c> endpoint for clients on the host, an <c>internal</c> one for containers, and a <c>host:port</c>
/// connection string.
/// </summary>
public sealed class KafkaServerResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    internal const string InternalEndpointName = "internal";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public EndpointReference InternalEndpoint => new(this, InternalEndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)}");
}
