namespace OrderSystem.AppHost.Redis;

/// <summary>
/// redis-server from Debian's packages, run by DCP as a local process, with a password like Aspire's Redis container
/// and the same connection string shape (<c>host:port,password=…</c>).
/// </summary>
public sealed class LocalRedisResource(string name, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, "sh", workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.HostAndPort)},password={PasswordParameter}");
}
