using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The order path under load (issue 13; docs/benchmarks.md, "Order path"): the load generator's closed loop at 1, 4,
/// 16 and 64 users against a system in benchmark mode, reporting orders/s, requests/s, the order request's p50 and p99,
/// errors, and the CPU of each of the system's processes (the AppHost, DCP, the services, PostgreSQL, Redis, the Kafka
/// broker, the dashboards) per level and idle. By default it starts the system itself twice, tracing on and then off,
/// and sets the throughputs against each other; <c>--before REF</c> first starts and measures the system built from an
/// earlier commit, tracing on, and sets this tree against it; <c>--running</c> measures a system already up instead.
/// </summary>
[SupportedOSPlatform("linux")] // /proc, SIGTERM, and the local processes the AppHost runs without a container engine
public sealed class OrderPathBenchmark : IBenchmark
{
    public const string Command = "dotnet run -c Release --project OrderSystem.Benchmarks -- order-path";

    public string Name => "order-path";

    public string Description => "Orders/s, p50/p99 and each process's CPU at 1-64 users, in benchmark mode, tracing on vs off";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = new OrderPathOptions();
        var parseResult = options.CreateCommand().Parse(args);
        if (parseResult.Action is not null)
        {
            // --help, or a parse error (printed with the help).
            return await parseResult.InvokeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        OrderPathSettings settings;
        try
        {
            settings = options.Bind(parseResult);
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync($"order-path: {exception.Message}").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await RunAsync(settings, args, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or IOException or InvalidDataException)
        {
            await Console.Error.WriteLineAsync($"order-path: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RunAsync(OrderPathSettings settings, string[] args, CancellationToken cancellationToken)
    {
        var root = RepositoryRoot.Find();
        var stateDirectory = Path.GetFullPath(settings.StateDirectory ?? Path.Combine(root, ".ordersystem", "benchmark"));
        var startedAt = TimeProvider.System.GetUtcNow();
        var resultsDirectory = Path.Combine(stateDirectory, "results", startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(resultsDirectory);
        var outputPath = Path.GetFullPath(settings.OutputPath ?? Path.Combine(resultsDirectory, "order-path.json"));
        Console.WriteLine($"order-path: {Environment.ProcessorCount} cores, .NET {Environment.Version}; levels {string.Join(", ", settings.Users)} users, {settings.Duration.TotalSeconds:0.#} s each; results in {resultsDirectory}");

        // In the order they ran; the before build's also apart.
        var runs = new List<SystemRun>();
        var beforeRuns = new List<SystemRun>();
        if (settings.UseRunningSystem)
        {
            var endpointsPath = RunningSystem.FindEndpoints(settings.EndpointsPath);
            var level = CreateLoadLevel(settings, RunningSystem.AppHostPid(endpointsPath));
            runs.Add(await MeasureAsync(settings, level, SystemBuild.RunningLabel, TracingMode.AsRunning, round: 1, endpointsPath, "tracing-as-running", resultsDirectory, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var thisTree = await SystemBuild.ThisTreeAsync(root, cancellationToken).ConfigureAwait(false);
            if (settings.Build)
            {
                Console.WriteLine("order-path: building the AppHost (Release)");
                await AppHostChild.BuildAsync(root, cancellationToken).ConfigureAwait(false);
            }

            // The checkout goes once its systems have stopped; disposing it on the way out of a failure or Ctrl-C too.
            await using var beforeBuild = settings.Before is null ? null : await BeforeBuild.PrepareAsync(root, stateDirectory, settings.Before, cancellationToken).ConfigureAwait(false);
            // Round by round, every system once per round, in RoundOrder: a drift of the machine over the run, or an
            // effect of the order, then weighs on each alike.
            List<(SystemBuild Build, string Tracing)> systems = [.. settings.Tracing.Select(tracing => (thisTree, tracing))];
            if (beforeBuild is not null)
            {
                systems.Insert(0, (beforeBuild.Build, TracingMode.On));
            }

            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var (build, tracing) in RoundOrder.Of(systems, round))
                {
                    runs.Add(await StartAndMeasureAsync(settings, build, tracing, round, stateDirectory, resultsDirectory, cancellationToken).ConfigureAwait(false));
                    if (build == beforeBuild?.Build)
                    {
                        beforeRuns.Add(runs[^1]);
                    }
                }
            }
        }

        var thisTreeRuns = runs.Except(beforeRuns).ToList();
        var commandLine = string.Join(' ', [Command, .. args]);
        var result = new OrderPathResult(
            OrderPathResult.SchemaName,
            startedAt,
            commandLine,
            Environment.ProcessorCount,
            $".NET {Environment.Version}",
            settings.Duration.TotalSeconds,
            settings.Warmup.TotalSeconds,
            settings.UseRunningSystem ? 0 : settings.SystemWarmup.TotalSeconds,
            settings.Mix,
            settings.DeclinedRate,
            settings.Rounds,
            runs,
            TracingRatio.Of(thisTreeRuns),
            beforeRuns.Count == 0 ? null : BeforeAfter.Of(beforeRuns, [.. thisTreeRuns.Where(run => run.Tracing == TracingMode.On)]));
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        await using (var file = File.Create(outputPath))
        {
            await JsonSerializer.SerializeAsync(file, result, OrderPathResult.JsonOptions, CancellationToken.None).ConfigureAwait(false);
        }

        var tables = OrderPathTables.Render(result);
        Console.WriteLine();
        Console.WriteLine(tables);
        Console.WriteLine($"Result: {outputPath}");
        if (settings.WriteDocs)
        {
            var docs = Path.Combine(root, "docs", "benchmarks.md");
            var section = $"```bash\n{commandLine}\n```\n\n{tables}";
            await File.WriteAllTextAsync(docs, BenchmarksDocument.ReplaceSection(await File.ReadAllTextAsync(docs, cancellationToken).ConfigureAwait(false), section), CancellationToken.None).ConfigureAwait(false);
            Console.WriteLine($"Updated {docs}");
        }
    }

    private static async Task<SystemRun> StartAndMeasureAsync(
        OrderPathSettings settings, SystemBuild build, string tracing, int round, string stateDirectory, string resultsDirectory, CancellationToken cancellationToken)
    {
        // A fresh state folder each time: a new database with the seeded stock, and no endpoints.json from before.
        var name = $"{build.FilePrefix}tracing-{tracing}" + (settings.Rounds > 1 ? $"-round-{round}" : string.Empty);
        var described = settings.Rounds > 1 ? $"{build.Label}, round {round} of {settings.Rounds}," : build.Label;
        var state = Path.Combine(stateDirectory, name);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        // PostgreSQL runs as user postgres and must be able to traverse it.
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Console.WriteLine($"order-path: starting {described} in benchmark mode, tracing {tracing} (state and log in {state})");
        await using var system = await AppHostChild.StartAsync(
            build.Root,
            state,
            new Dictionary<string, string> { ["OrderSystem__Benchmark"] = "true", ["OrderSystem__Tracing"] = tracing },
            settings.StartTimeout,
            cancellationToken).ConfigureAwait(false);
        await BenchmarkStock.FillAsync(system.EndpointsPath, cancellationToken).ConfigureAwait(false);
        var level = CreateLoadLevel(settings, system.Pid);
        if (settings.SystemWarmup > TimeSpan.Zero)
        {
            var users = settings.Users.Max();
            Console.WriteLine($"  warming {build.Label}, tracing {tracing}: {settings.SystemWarmup.TotalSeconds:0.#} s at {users} users, not measured");
            await level.WarmAsync(users, system.EndpointsPath, Path.Combine(resultsDirectory, $"warmup-{name}.log"), cancellationToken).ConfigureAwait(false);
        }

        var run = await MeasureAsync(settings, level, build.Label, tracing, round, system.EndpointsPath, name, resultsDirectory, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"order-path: stopping {described} (tracing {tracing})");
        return run;
    }

    private static LoadLevel CreateLoadLevel(OrderPathSettings settings, int appHostPid) =>
        new(settings, new SystemProcesses(appHostPid, TimeProvider.System), TimeProvider.System);

    /// <param name="name">What the level's files are named after: <c>tracing-on</c>, <c>before-tracing-on</c>...</param>
    private static async Task<SystemRun> MeasureAsync(
        OrderPathSettings settings, LoadLevel level, string build, string tracing, int round, string endpointsPath, string name, string resultsDirectory, CancellationToken cancellationToken)
    {
        IReadOnlyList<ProcessCpu> idle = [];
        Settling? settling = null;
        if (settings.Idle > TimeSpan.Zero)
        {
            (settling, idle) = await level.MeasureIdleAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  idle, {build}, tracing {tracing}, {settling.Describe()}: " + string.Join(", ", idle.Select(cpu => $"{cpu.Process} {cpu.PercentOfCore:0.#} %")));
        }

        var levels = new List<LevelRun>();
        foreach (var users in settings.Users)
        {
            var resultPath = Path.Combine(resultsDirectory, $"loadgen-{name}-{users}-users.json");
            var run = await level.RunAsync(users, endpointsPath, resultPath, cancellationToken).ConfigureAwait(false);
            var figures = run.Figures;
            Console.WriteLine($"  {users,3} users, {build}, tracing {tracing}: {figures.OrdersPerSecond:0.#} orders/s, {figures.RequestsPerSecond:0.#} requests/s, order p50 {figures.OrderP50Ms:0.#} ms p99 {figures.OrderP99Ms:0.#} ms, {figures.Errors} errors");
            levels.Add(run);
        }

        return new SystemRun(build, tracing, round, idle, levels, settling);
    }
}
