namespace OrderSystem.AppHost.Hosting;

/// <summary>A .NET project the AppHost builds with itself and runs as a process; healthy when its <c>/health</c> answers 200.</summary>
public class ProjectResource(string name, IProjectMetadata metadata) : Resource(name)
{
    public override string Type => "project";

    public IProjectMetadata Metadata { get; } = metadata;

    public string HealthCheckPath { get; set; } = "/health";
}

/// <summary>
/// The trace dashboard: started before every other resource, it is the OTLP destination the AppHost gives each project
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Local only: a deployment brings its own telemetry backend.
/// </summary>
public sealed class DashboardResource(string name, IProjectMetadata metadata) : ProjectResource(name, metadata)
{
    public override string Type => "dashboard";

    public EndpointAnnotation OtlpEndpoint => GetEndpoint(OtlpEndpointName);

    /// <summary>What the projects are told to use: gRPC, Aspire's preferred OTLP protocol.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>OTLP/HTTP is served on the UI endpoint; OTLP/gRPC on its own h2c endpoint.</summary>
    public string OtlpEndpointName => OtlpProtocol == "grpc" ? "otlp-grpc" : "http";
}
