namespace OrderSystem.AppHost.Postgres;

/// <summary>
/// PostgreSQL from Debian's packages, run by DCP as a local process with its data in the state folder. Its
/// connection string has the shape of Aspire's <c>PostgresServerResource</c>, so services cannot tell the two apart.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string stateDirectory, ParameterResource password)
    : ExecutableResource(name, command, stateDirectory), IResourceWithConnectionString
{
    public const string UserName = "postgres";
    internal const string PrimaryEndpointName = "tcp";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    /// <summary>Where the server's Unix socket lives: the AppHost's own sessions use it, before any password is set.</summary>
    public string SocketDirectory => Path.Combine(WorkingDirectory, "run");

    /// <summary>Database resource names and the database each stands for.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={PasswordParameter}");

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);

    /// <summary>
    /// A session over the Unix socket as the superuser, which the cluster trusts locally. The socket is named after the
    /// port DCP chose for the server, which only DCP knows, so it is found in the socket folder.
    /// </summary>
    internal Task<string> GetSocketConnectionStringAsync(CancellationToken cancellationToken)
    {
        var socket = Directory.Exists(SocketDirectory)
            ? Directory.EnumerateFiles(SocketDirectory, ".s.PGSQL.*").FirstOrDefault(path => !path.EndsWith(".lock", StringComparison.Ordinal))
            : null;
        return socket is null
            ? Task.FromException<string>(new InvalidOperationException("PostgreSQL has not opened its socket yet"))
            : Task.FromResult($"Host={SocketDirectory};Port={Path.GetExtension(socket).TrimStart('.')};Username={UserName};Database=postgres;Pooling=false;Timeout=5");
    }
}
