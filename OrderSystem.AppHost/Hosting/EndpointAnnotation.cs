namespace OrderSystem.AppHost.Hosting;

/// <summary>
/// A named network endpoint of a resource. The port is chosen free when the application starts unless the model or
/// configuration (<c>Ports:{resource}</c>) pins it.
/// </summary>
public sealed class EndpointAnnotation(string name, string scheme, string transport, int? targetPort = null)
{
    public const string Loopback = "127.0.0.1";

    public string Name { get; } = name;

    /// <summary><c>http</c>, <c>https</c> or <c>tcp</c>.</summary>
    public string Scheme { get; } = scheme;

    /// <summary><c>http</c>, <c>http2</c> (h2c, gRPC) or <c>tcp</c>, as the manifest's binding says.</summary>
    public string Transport { get; } = transport;

    /// <summary>The port a container image listens on, written to the manifest (5432 for PostgreSQL...).</summary>
    public int? TargetPort { get; } = targetPort;

    public bool IsExternal { get; set; }

    /// <summary>A port the model asks for; otherwise one is allocated.</summary>
    public int? RequestedPort { get; set; }

    public int? Port { get; internal set; }

    public int AllocatedPort => Port ?? throw new InvalidOperationException($"endpoint '{Name}' has no port yet: the application has not started");

    public string Url => $"{Scheme}://{Loopback}:{AllocatedPort}";
}
