using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// Runs the model: allocates ports, starts each resource once what it waits for is healthy, watches health and exits,
/// and stops everything in reverse dependency order. Resources can also be stopped and started one by one (the
/// resource API uses this; the tests stop PostgreSQL with it).
/// </summary>
public sealed class ApplicationOrchestrator : IAsyncDisposable
{
    private static readonly TimeSpan HealthPollInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan HealthMonitorInterval = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, ResourceRuntime> _runtimes;
    private readonly Dictionary<Type, ResourceRunner> _runners;
    private readonly PidFiles _pidFiles;
    private readonly ResourceLog _console;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _monitor;

    public ApplicationOrchestrator(IReadOnlyList<Resource> resources, RunnerContext context, ResourceLog console, TimeProvider timeProvider)
    {
        _console = console;
        _timeProvider = timeProvider;
        _pidFiles = new PidFiles(context.State.PidsDirectory);
        _runtimes = resources
            .Where(resource => resource is not ParameterResource)
            .ToDictionary(resource => resource.Name, resource => new ResourceRuntime(resource, new ResourceLog(resource.Name, context.State.LogsDirectory, echoToConsole: true)));
        _runners = new Dictionary<Type, ResourceRunner>
        {
            [typeof(PostgresServerResource)] = new PostgresRunner(context),
            [typeof(PostgresDatabaseResource)] = new PostgresDatabaseRunner(context),
            [typeof(RedisResource)] = new RedisRunner(context),
            [typeof(KafkaServerResource)] = new KafkaRunner(context),
            [typeof(ProjectResource)] = new ProjectRunner(context),
            [typeof(DashboardResource)] = new ProjectRunner(context),
        };
        Dashboard = context.Dashboard;
    }

    public DashboardResource? Dashboard { get; }

    public IReadOnlyCollection<ResourceRuntime> Runtimes => _runtimes.Values;

    public ResourceRuntime? Find(string name) => _runtimes.GetValueOrDefault(name);

    /// <summary>Stops processes a crashed earlier run left behind (found through their pid files).</summary>
    public async Task ReapOrphansAsync()
    {
        foreach (var (resource, pid) in _pidFiles.FindOrphans())
        {
            _console.Write($"stopping {resource} (pid {pid}) left running by an earlier AppHost");
            Posix.SendSignal(pid, resource == "postgres" ? Posix.SIGINT : Posix.SIGTERM);
            var deadline = _timeProvider.GetUtcNow() + TimeSpan.FromSeconds(8);
            while (Posix.IsRunning(pid) && _timeProvider.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _timeProvider);
            }

            if (Posix.IsRunning(pid))
            {
                Posix.SendSignal(pid, Posix.SIGKILL);
            }

            _pidFiles.Remove(resource);
        }
    }

    /// <summary>Gives every endpoint its port: the one pinned by <c>Ports:{resource}</c> or the model, else a free one.</summary>
    public void AllocatePorts(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        foreach (var runtime in _runtimes.Values)
        {
            foreach (var endpoint in runtime.Resource.Endpoints)
            {
                var pinned = endpoint == runtime.Resource.Endpoints[0] && int.TryParse(configuration[$"Ports:{runtime.Resource.Name}"], out var configured)
                    ? configured
                    : endpoint.RequestedPort;
                if (runtime.Resource is KafkaServerResource)
                {
                    continue; // the broker reports the port it chose
                }

                if (pinned is { } port && !PortAllocator.IsFree(port))
                {
                    throw new StartupException($"port {port} for resource '{runtime.Resource.Name}' is in use: free it or choose another port with Ports__{runtime.Resource.Name}=<port>");
                }

                endpoint.Port = pinned ?? PortAllocator.AllocateFreePort();
            }
        }
    }

    /// <summary>Starts every resource and returns once all are healthy, or throws naming the one that failed.</summary>
    public async Task StartAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        deadline.CancelAfter(timeout);
        // Fail fast: the first resource that fails cancels the others' waits, and its error is the one reported.
        var starts = _runtimes.Values.Select(async runtime =>
        {
            try
            {
                await StartResourceAsync(runtime, deadline.Token);
            }
            catch (StartupException)
            {
                await deadline.CancelAsync();
                throw;
            }
        }).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            if (starts.Select(start => start.Exception?.InnerException).OfType<StartupException>().FirstOrDefault() is { } failure)
            {
                throw failure;
            }

            var waiting = _runtimes.Values.Where(r => r.Health != ResourceHealth.Healthy).Select(r => $"{r.Resource.Name} ({r.State})");
            throw new StartupException($"not healthy after {timeout.TotalSeconds:0} s: {string.Join(", ", waiting)}; see the logs in the state folder");
        }

        _monitor = MonitorHealthAsync(_stopping.Token);
    }

    public async Task StartResourceAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        if (runtime.State is ResourceState.Starting or ResourceState.Running or ResourceState.Waiting)
        {
            return;
        }

        runtime.StopRequested = false;
        runtime.ExitCode = null;
        runtime.ResetHealth();
        runtime.State = ResourceState.Waiting;
        await Task.WhenAll(DependenciesOf(runtime).Select(dependency => dependency.FirstHealthy.WaitAsync(cancellationToken)));

        runtime.State = ResourceState.Starting;
        var runner = _runners[runtime.Resource.GetType()];
        try
        {
            await runner.PrepareAsync(runtime, cancellationToken);
            if (runner.CreateProcessSpec(runtime) is { } spec)
            {
                var process = ManagedProcess.Start(spec, runtime.Log);
                runtime.Process = process;
                _pidFiles.Record(runtime.Resource.Name, process.Pid);
                _ = WatchExitAsync(runtime, process);
            }

            await runner.OnStartedAsync(runtime, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            runtime.State = ResourceState.FailedToStart;
            throw new StartupException($"resource '{runtime.Resource.Name}' failed to start: {exception.Message}");
        }

        runtime.State = ResourceState.Running;
        while (!await CheckHealthAsync(runtime, cancellationToken))
        {
            if (runtime.Process is { Exited.IsCompleted: true } exited)
            {
                runtime.State = ResourceState.FailedToStart;
                throw new StartupException(
                    $"resource '{runtime.Resource.Name}' exited with code {exited.Exited.Result} before it was healthy; last lines:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", runtime.Log.Tail(15))}");
            }

            await Task.Delay(HealthPollInterval, _timeProvider, cancellationToken);
        }

        if (runtime.ReportHealth(healthy: true))
        {
            _console.Write($"{runtime.Resource.Name} is healthy");
        }
    }

    public async Task StopResourceAsync(ResourceRuntime runtime)
    {
        if (runtime.Process is not { } process)
        {
            runtime.State = ResourceState.Exited;
            return;
        }

        runtime.StopRequested = true;
        runtime.State = ResourceState.Stopping;
        await process.StopAsync(_runners[runtime.Resource.GetType()].StopGracePeriod);
        runtime.State = ResourceState.Exited;
        runtime.ReportHealth(healthy: false);
    }

    /// <summary>Stops each resource after everything that depends on it, all within about ten seconds.</summary>
    public async Task StopAllAsync()
    {
        await _stopping.CancelAsync();
        var stops = new Dictionary<ResourceRuntime, Task>();
        Task StopAfterDependents(ResourceRuntime runtime)
        {
            if (!stops.TryGetValue(runtime, out var stop))
            {
                var dependents = _runtimes.Values.Where(other => DependenciesOf(other).Contains(runtime)).Select(StopAfterDependents).ToArray();
                stop = Task.WhenAll(dependents).ContinueWith(_ => StopResourceAsync(runtime), TaskScheduler.Default).Unwrap();
                stops[runtime] = stop;
            }

            return stop;
        }

        await Task.WhenAll(_runtimes.Values.Select(StopAfterDependents).ToArray());
        if (_monitor is not null)
        {
            await _monitor.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAllAsync();
        foreach (var runtime in _runtimes.Values)
        {
            runtime.Log.Dispose();
        }

        _stopping.Dispose();
    }

    /// <summary>What a resource waits for: its declared waits, and for every project the dashboard it exports to.</summary>
    private IEnumerable<ResourceRuntime> DependenciesOf(ResourceRuntime runtime)
    {
        var dependencies = runtime.Resource.WaitsFor.Where(r => r is not ParameterResource).Select(r => _runtimes[r.Name]);
        return runtime.Resource is ProjectResource and not DashboardResource && Dashboard is not null
            ? dependencies.Append(_runtimes[Dashboard.Name]).Distinct()
            : dependencies;
    }

    private async Task WatchExitAsync(ResourceRuntime runtime, ManagedProcess process)
    {
        var exitCode = await process.Exited;
        _pidFiles.Remove(runtime.Resource.Name);
        runtime.ExitCode = exitCode;
        if (!runtime.StopRequested && runtime.State != ResourceState.FailedToStart)
        {
            runtime.State = ResourceState.Exited;
            runtime.ReportHealth(healthy: false);
            _console.Write($"{runtime.Resource.Name} exited unexpectedly with code {exitCode}; last lines:");
            foreach (var line in runtime.Log.Tail(15))
            {
                _console.Write("  " + line);
            }
        }
    }

    /// <summary>A check that throws counts as unhealthy: one odd failure must not stop the monitor.</summary>
    private async Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        try
        {
            return await _runners[runtime.Resource.GetType()].CheckHealthAsync(runtime, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _console.Write($"health check of {runtime.Resource.Name} failed: {exception.Message}");
            return false;
        }
    }

    private async Task MonitorHealthAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(HealthMonitorInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                foreach (var runtime in _runtimes.Values.Where(r => r.State == ResourceState.Running))
                {
                    var healthy = await CheckHealthAsync(runtime, cancellationToken);
                    if (runtime.ReportHealth(healthy))
                    {
                        _console.Write($"{runtime.Resource.Name} is {runtime.Health.ToString().ToLowerInvariant()}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The application is stopping.
        }
    }
}

/// <summary>A start-up failure the AppHost reports as one line (with the fix) rather than a stack trace.</summary>
public sealed class StartupException(string message) : Exception(message);
