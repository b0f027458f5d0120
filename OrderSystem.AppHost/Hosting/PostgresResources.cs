namespace OrderSystem.AppHost.Hosting;

/// <summary>A PostgreSQL server: run locally from Debian's packages, published as the <c>postgres</c> container image.</summary>
public sealed class PostgresServerResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString
{
    public const string UserName = "postgres";

    public override string Type => "postgres";

    public ParameterResource Password { get; } = password;

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public EndpointAnnotation PrimaryEndpoint => GetEndpoint("tcp");

    public string GetConnectionString() =>
        $"Host={EndpointAnnotation.Loopback};Port={PrimaryEndpoint.AllocatedPort};Username={UserName};Password={Password.Value}";

    public string ConnectionStringExpression =>
        $"Host={{{Name}.bindings.tcp.host}};Port={{{Name}.bindings.tcp.port}};Username={UserName};Password={{{Password.Name}.value}}";
}

/// <summary>A database on a <see cref="PostgresServerResource"/>; the AppHost creates it when the server is up.</summary>
public sealed class PostgresDatabaseResource(string name, PostgresServerResource server) : Resource(name), IResourceWithConnectionString
{
    public override string Type => "database";

    public PostgresServerResource Server { get; } = server;

    public string DatabaseName => Name;

    public string GetConnectionString() => $"{Server.GetConnectionString()};Database={DatabaseName}";

    public string ConnectionStringExpression => $"{{{Server.Name}.connectionString}};Database={DatabaseName}";
}
