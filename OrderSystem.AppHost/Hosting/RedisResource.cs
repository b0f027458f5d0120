namespace OrderSystem.AppHost.Hosting;

/// <summary>A Redis server: <c>redis-server</c> locally, the <c>redis</c> container image when published.</summary>
public sealed class RedisResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "redis";

    public ParameterResource Password { get; } = password;

    public EndpointAnnotation PrimaryEndpoint => GetEndpoint("tcp");

    public string GetConnectionString() => $"{EndpointAnnotation.Loopback}:{PrimaryEndpoint.AllocatedPort},password={Password.Value}";

    public string ConnectionStringExpression =>
        $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}},password={{{Password.Name}.value}}";
}
