using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The order path under load (issue 13; docs/benchmarks.md, "Order path"): the load generator's closed loop at 1, 4,
/// 16 and 64 users against a system in benchmark mode, reporting orders/s, requests/s, the order request's p50 and p99,
/// errors, and the CPU of each of the system's processes (the AppHost, DCP, the services, PostgreSQL, Redis, the Kafka
/// broker, the dashboards) per level and idle. By default it starts the system itself twice, tracing on and then off,
/// and sets the throughputs against each other; <c>--running</c> measures a system already up instead.
/// </summary>
[SupportedOSPlatform("linux")] // /proc, SIGTERM, and the local processes the AppHost runs without a container engine
public sealed class OrderPathBenchmark : IBenchmark
{
    public const string Command = "dotnet run -c Release --project OrderSystem.Benchmarks -- order-path";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

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

        var runs = new List<SystemRun>();
        if (settings.UseRunningSystem)
        {
            var endpointsPath = RunningSystem.FindEndpoints(settings.EndpointsPath);
            runs.Add(await MeasureAsync(settings, TracingMode.AsRunning, endpointsPath, RunningSystem.AppHostPid(endpointsPath), resultsDirectory, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            if (settings.Build)
            {
                Console.WriteLine("order-path: building the AppHost (Release)");
                await AppHostChild.BuildAsync(root, cancellationToken).ConfigureAwait(false);
            }

            foreach (var tracing in settings.Tracing)
            {
                runs.Add(await StartAndMeasureAsync(settings, tracing, root, stateDirectory, resultsDirectory, cancellationToken).ConfigureAwait(false));
            }
        }

        var commandLine = string.Join(' ', [Command, .. args]);
        var result = new OrderPathResult(
            OrderPathResult.SchemaName,
            startedAt,
            commandLine,
            Environment.ProcessorCount,
            $".NET {Environment.Version}",
            settings.Duration.TotalSeconds,
            settings.Warmup.TotalSeconds,
            settings.Mix,
            runs,
            TracingRatio.Of(runs));
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        await using (var file = File.Create(outputPath))
        {
            await JsonSerializer.SerializeAsync(file, result, JsonOptions, CancellationToken.None).ConfigureAwait(false);
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
        OrderPathSettings settings, string tracing, string root, string stateDirectory, string resultsDirectory, CancellationToken cancellationToken)
    {
        // A fresh state folder each time: a new database with the seeded stock, and no endpoints.json from before.
        var state = Path.Combine(stateDirectory, "tracing-" + tracing);
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }

        // PostgreSQL runs as user postgres and must be able to traverse it.
        Directory.CreateDirectory(state, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Console.WriteLine($"order-path: starting the system in benchmark mode, tracing {tracing} (state and log in {state})");
        await using var system = await AppHostChild.StartAsync(
            root,
            state,
            new Dictionary<string, string> { ["OrderSystem__Benchmark"] = "true", ["OrderSystem__Tracing"] = tracing },
            settings.StartTimeout,
            cancellationToken).ConfigureAwait(false);
        var run = await MeasureAsync(settings, tracing, system.EndpointsPath, system.Pid, resultsDirectory, cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"order-path: stopping the system (tracing {tracing})");
        return run;
    }

    private static async Task<SystemRun> MeasureAsync(
        OrderPathSettings settings, string tracing, string endpointsPath, int appHostPid, string resultsDirectory, CancellationToken cancellationToken)
    {
        var level = new LoadLevel(settings, new SystemProcesses(appHostPid, TimeProvider.System), TimeProvider.System);
        IReadOnlyList<ProcessCpu> idle = [];
        if (settings.Idle > TimeSpan.Zero)
        {
            idle = await level.MeasureIdleAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"  idle, tracing {tracing}: " + string.Join(", ", idle.Select(cpu => $"{cpu.Process} {cpu.PercentOfCore:0.#} %")));
        }

        var levels = new List<LevelRun>();
        foreach (var users in settings.Users)
        {
            var resultPath = Path.Combine(resultsDirectory, $"loadgen-tracing-{tracing.Replace(' ', '-')}-{users}-users.json");
            var run = await level.RunAsync(users, endpointsPath, resultPath, cancellationToken).ConfigureAwait(false);
            var figures = run.Figures;
            Console.WriteLine($"  {users,3} users, tracing {tracing}: {figures.OrdersPerSecond:0.#} orders/s, {figures.RequestsPerSecond:0.#} requests/s, order p50 {figures.OrderP50Ms:0.#} ms p99 {figures.OrderP99Ms:0.#} ms, {figures.Errors} errors");
            levels.Add(run);
        }

        return new SystemRun(tracing, idle, levels);
    }
}
