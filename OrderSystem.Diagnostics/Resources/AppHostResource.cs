namespace OrderSystem.Diagnostics.Resources;

/// <summary>
/// A resource as the AppHost's resource API describes it (<c>GET {ResourceServiceUrl}/api/resources</c>):
/// type is project|postgres|redis|kafka|database|dashboard; state NotStarted|Waiting|Starting|Running|Stopping|
/// Exited|FailedToStart; health Healthy|Unhealthy|Unknown. Secrets in the connection string arrive masked.
/// </summary>
public sealed record AppHostResource(
    string Name,
    string Type,
    string State,
    string Health,
    IReadOnlyList<string> Urls,
    string? ConnectionString,
    int? ExitCode,
    int? Pid);
