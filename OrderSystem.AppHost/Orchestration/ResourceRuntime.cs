using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>Aspire's resource states (KnownResourceStates), as the table, the resource API and the dashboard show them.</summary>
public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Stopping,
    Exited,
    FailedToStart,
}

public enum ResourceHealth
{
    Unknown,
    Healthy,
    Unhealthy,
}

/// <summary>What is happening to one resource while the application runs.</summary>
public sealed class ResourceRuntime(Resource resource, ResourceLog log)
{
    private readonly TaskCompletionSource _firstHealthy = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Resource Resource { get; } = resource;

    public ResourceLog Log { get; } = log;

    public ResourceState State { get; set; } = ResourceState.NotStarted;

    public ResourceHealth Health { get; private set; } = ResourceHealth.Unknown;

    public ManagedProcess? Process { get; set; }

    public int? ExitCode { get; set; }

    /// <summary>Set while the AppHost itself stops the resource, so the exit is not reported as a failure.</summary>
    public bool StopRequested { get; set; }

    /// <summary>Completes the first time the resource is healthy: what <c>WaitFor</c> waits for.</summary>
    public Task FirstHealthy => _firstHealthy.Task;

    /// <summary>Records a health result; returns true when it changed.</summary>
    public bool ReportHealth(bool healthy)
    {
        var health = healthy ? ResourceHealth.Healthy : ResourceHealth.Unhealthy;
        if (healthy)
        {
            _firstHealthy.TrySetResult();
        }

        if (Health == health)
        {
            return false;
        }

        Health = health;
        return true;
    }

    public void ResetHealth() => Health = ResourceHealth.Unknown;
}
