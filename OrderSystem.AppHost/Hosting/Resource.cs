namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// Something the AppHost runs or refers to: a server, a database, a project, a parameter. Resources carry what the
/// model declares about them (endpoints, references, waits); the orchestrator decides how each kind runs.
/// </summary>
public abstract class Resource(string name)
{
    public string Name { get; } = ValidateName(name);

    /// <summary>Resources that must be healthy before this one starts (Aspire's <c>WaitFor</c>).</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>Environment contributed by references and <c>WithEnvironment</c>, evaluated when the resource starts.</summary>
    public List<Action<EnvironmentContext>> EnvironmentCallbacks { get; } = [];

    public List<EndpointAnnotation> Endpoints { get; } = [];

    /// <summary>Resources whose connection string, endpoints or values this resource is given.</summary>
    public List<Resource> References { get; } = [];

    /// <summary>The resource type as the dashboard and the resource API show it.</summary>
    public abstract string Type { get; }

    /// <summary>Resources not written to the deployment manifest (local-only helpers).</summary>
    public bool ExcludedFromManifest { get; set; }

    public EndpointAnnotation GetEndpoint(string endpointName) =>
        Endpoints.FirstOrDefault(e => e.Name == endpointName)
        ?? throw new InvalidOperationException($"resource '{Name}' has no endpoint named '{endpointName}'");

    public override string ToString() => Name;

    private static string ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || !char.IsAsciiLetterLower(name[0]))
        {
            throw new ArgumentException($"resource name '{name}' must be lower-case letters, digits and '-', starting with a letter", nameof(name));
        }

        return name;
    }
}

/// <summary>A resource whose clients connect with a connection string (<c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The connection string of the running resource.</summary>
    string GetConnectionString();

    /// <summary>The same connection string as a deployment-manifest expression.</summary>
    string ConnectionStringExpression { get; }
}
