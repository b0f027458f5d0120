using Microsoft.Extensions.Configuration;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>What every runner may need: the state folder, the programs, configuration and the dashboard.</summary>
public sealed record RunnerContext(StateDirectory State, ProgramLocator Programs, IConfiguration Configuration, HttpClient HealthClient, DashboardResource? Dashboard);

/// <summary>How one kind of resource is prepared, launched and checked for health when it runs locally.</summary>
public abstract class ResourceRunner(RunnerContext context)
{
    protected RunnerContext Context { get; } = context;

    /// <summary>One-time work before the first launch (a PostgreSQL data directory, a stale lock file).</summary>
    public virtual Task PrepareAsync(ResourceRuntime runtime, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The process to run, or null for a resource that is not a process (a database on a server).</summary>
    public abstract ProcessSpec? CreateProcessSpec(ResourceRuntime runtime);

    /// <summary>Work after launch and before health checks (learning the port the process chose, creating a database).</summary>
    public virtual Task OnStartedAsync(ResourceRuntime runtime, CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken);

    /// <summary>How long the resource gets to stop after its stop signal before it is killed.</summary>
    public virtual TimeSpan StopGracePeriod => TimeSpan.FromSeconds(4);

    protected static Task<bool> IsListeningAsync(Resource resource, CancellationToken cancellationToken) =>
        PortAllocator.IsListeningAsync(resource.GetEndpoint("tcp").AllocatedPort, cancellationToken);
}
