using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// Stopping and crashing the AppHost as a person runs it (its build output, its own state folder): what it started
/// under DCP goes with it, PostgreSQL's data is left clean, and a run after a crash comes up healthy.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LifecycleTests
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(4);

    /// <summary>The promise for Ctrl-C or SIGTERM: everything stopped within 30 s.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>DCP watches the AppHost's pid and removes what it started within 10-20 s of its death.</summary>
    private static readonly TimeSpan OrphanTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] Services = ["Gateway", "Orders", "Inventory", "Payments", "Notifications"];

    [Fact]
    public async Task Sigterm_stops_every_process_within_30_seconds_and_postgres_shuts_down_cleanly()
    {
        var state = TestRepository.CreateStateDirectory("lifecycle-stop");
        IReadOnlyList<LinuxProcess> started = [];
        try
        {
            await using var appHost = await StartAsync(state);
            started = ProcessesStartedBy(appHost, state);
            AssertTheWholeTopologyRuns(started, state);

            var stopwatch = Stopwatch.StartNew();
            appHost.Terminate();
            var exitCode = await appHost.Exited.WaitAsync(StopTimeout, TestContext.Current.CancellationToken);
            var remaining = await WaitUntilStoppedAsync(started, state, StopTimeout - stopwatch.Elapsed);

            Assert.True(exitCode == 0, $"the AppHost exited with code {exitCode}:{Environment.NewLine}{appHost.OutputText}");
            Assert.True(remaining.Count == 0, $"{stopwatch.Elapsed.TotalSeconds:0} s after SIGTERM these still run:{Environment.NewLine}{string.Join(Environment.NewLine, remaining)}");
            Assert.Equal("shut down", await ClusterStateAsync(state));
        }
        finally
        {
            Cleanup(started, state);
        }
    }

    [Fact]
    public async Task After_the_AppHost_is_killed_its_processes_go_and_the_next_run_comes_up_healthy()
    {
        var state = TestRepository.CreateStateDirectory("lifecycle-crash");
        var started = new List<LinuxProcess>();
        try
        {
            // A crash: nothing of the AppHost's shutdown runs. The next run starts at once, as a person would.
            await using (var crashed = await StartAsync(state))
            {
                started.AddRange(ProcessesStartedBy(crashed, state));
                crashed.Kill();
                await crashed.Exited.WaitAsync(StopTimeout, TestContext.Current.CancellationToken);
            }

            await using var next = await StartAsync(state);
            // The new run's processes share the state folder, so only those listed before it started count here.
            var orphans = await WaitUntilStoppedAsync(started, stateDirectory: null, OrphanTimeout);
            Assert.True(orphans.Count == 0, $"the killed AppHost's processes still run:{Environment.NewLine}{string.Join(Environment.NewLine, orphans)}");

            var restarted = ProcessesStartedBy(next, state);
            started.AddRange(restarted);
            AssertTheWholeTopologyRuns(restarted, state);

            // And it stops as cleanly as a run that never followed a crash.
            next.Terminate();
            await next.Exited.WaitAsync(StopTimeout, TestContext.Current.CancellationToken);
            Assert.Empty(await WaitUntilStoppedAsync(started, state, StopTimeout));
            Assert.Equal("shut down", await ClusterStateAsync(state));
        }
        finally
        {
            Cleanup(started, state);
        }
    }

    /// <summary>
    /// Starts the AppHost and waits for its endpoints.json (written once the Gateway, which waits for everything else, is
    /// healthy) and for the Gateway to answer.
    /// </summary>
    private static async Task<ChildProcess> StartAsync(string state)
    {
        var appHost = AppHostProcess.Start(state);
        try
        {
            await Eventually.WaitUntilAsync(
                () => appHost.Exited.IsCompleted
                    ? throw new InvalidOperationException($"the AppHost exited with code {appHost.Exited.Result}:{Environment.NewLine}{appHost.OutputText}")
                    : Task.FromResult(EndpointsFileOf(state) is { } endpoints && endpoints.GetProperty("pid").GetInt32() == appHost.Pid),
                StartupTimeout,
                "the AppHost to write endpoints.json",
                explain: () => OutputOf(appHost));

            // DCP calls a project running once `dotnet run` is, a moment before the service's own process exists.
            await WaitUntilGatewayAnswersAsync(appHost, state);
            return appHost;
        }
        catch
        {
            await appHost.DisposeAsync();
            throw;
        }
    }

    private static async Task WaitUntilGatewayAnswersAsync(ChildProcess appHost, string state)
    {
        using var gateway = new HttpClient { BaseAddress = GatewayOf(state), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.WaitUntilAsync(
            async () =>
            {
                using var health = await gateway.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
                return health.StatusCode == System.Net.HttpStatusCode.OK;
            },
            StartupTimeout,
            $"the Gateway's /health at {gateway.BaseAddress} to answer 200",
            explain: () => OutputOf(appHost));
    }

    private static Task<string> OutputOf(ChildProcess appHost) => Task.FromResult($"the AppHost's output:{Environment.NewLine}{appHost.OutputText}");

    /// <summary>
    /// DCP detaches from the AppHost (its parent is init), so what the AppHost started is the DCP that monitors its pid,
    /// everything below that DCP, and whatever inherited the run's state folder from the AppHost's environment (a
    /// service whose <c>dotnet run</c> parent was killed is no longer below DCP).
    /// </summary>
    private static IReadOnlyList<LinuxProcess> ProcessesStartedBy(ChildProcess appHost, string state)
    {
        var monitor = $"--monitor {appHost.Pid.ToString(CultureInfo.InvariantCulture)} ";
        var dcp = LinuxProcess.All().Where(process => process.Name == "dcp" && process.CommandLine.Contains(monitor, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(dcp);
        return [.. dcp, .. dcp.SelectMany(process => LinuxProcess.DescendantsOf(process.Pid)), .. InheritedStateOf(state)];
    }

    private static IReadOnlyList<LinuxProcess> InheritedStateOf(string state) =>
        LinuxProcess.WithEnvironment($"ORDERSYSTEM_STATE_DIR={state}");

    private static void AssertTheWholeTopologyRuns(IReadOnlyList<LinuxProcess> processes, string state)
    {
        var listing = string.Join(Environment.NewLine, processes);
        Assert.True(processes.Any(process => process.Name == "postgres" && process.CommandLine.Contains(state, StringComparison.Ordinal)), $"no PostgreSQL on {state} in:{Environment.NewLine}{listing}");
        Assert.True(processes.Any(process => process.Name == "redis-server"), $"no redis-server in:{Environment.NewLine}{listing}");
        foreach (var service in Services)
        {
            var project = Path.Combine(TestRepository.Root, service, service + ".csproj");
            Assert.True(processes.Any(process => process.CommandLine.Contains(project, StringComparison.Ordinal)), $"no {service} in:{Environment.NewLine}{listing}");
        }
    }

    /// <summary>
    /// Waits, up to <paramref name="timeout"/>, for the processes to end, and with a <paramref name="stateDirectory"/>
    /// for every process that inherited it too (one started after the list was taken); returns those still running.
    /// </summary>
    private static async Task<IReadOnlyList<LinuxProcess>> WaitUntilStoppedAsync(IReadOnlyList<LinuxProcess> processes, string? stateDirectory, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var running = processes.Where(process => process.IsRunning)
                .Union(stateDirectory is null ? Array.Empty<LinuxProcess>() : InheritedStateOf(stateDirectory))
                .ToList();
            if (running.Count == 0 || deadline.Elapsed >= timeout)
            {
                return running;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>What PostgreSQL wrote in its control file when it last stopped: "shut down" after a clean stop, "in production" after a crash.</summary>
    private static async Task<string> ClusterStateAsync(string state)
    {
        var controlData = Directory.GetFiles("/usr/lib/postgresql", "pg_controldata", SearchOption.AllDirectories).Max(StringComparer.Ordinal)!;
        await using var process = ChildProcess.Start(controlData, ["-D", Path.Combine(state, "postgres", "data")], new Dictionary<string, string?> { ["LC_ALL"] = "C" });
        Assert.Equal(0, await process.Exited.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        var line = Assert.Single(process.Output, line => line.StartsWith("Database cluster state:", StringComparison.Ordinal));
        return line["Database cluster state:".Length..].Trim();
    }

    private static JsonElement? EndpointsFileOf(string state)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(state, "endpoints.json")));
            return document.RootElement.Clone();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    private static Uri GatewayOf(string state) => new(EndpointsFileOf(state)!.Value.GetProperty("gateway").GetString()!);

    /// <summary>Whatever failed, nothing this test started is left running, and its state folder goes.</summary>
    private static void Cleanup(IReadOnlyList<LinuxProcess> started, string state)
    {
        foreach (var process in started.Union(InheritedStateOf(state)).Where(process => process.IsRunning))
        {
            try
            {
                Process.GetProcessById(process.Pid).Kill();
            }
            catch (ArgumentException)
            {
                // ended meanwhile
            }
        }

        Directory.Delete(state, recursive: true);
    }
}
