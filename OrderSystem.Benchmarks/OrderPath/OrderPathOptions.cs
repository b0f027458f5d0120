using System.CommandLine;
using System.Globalization;
using OrderSystem.LoadGenerator.CommandLine;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>What an order-path run does, checked: see <see cref="OrderPathOptions"/> for each option.</summary>
public sealed record OrderPathSettings(
    IReadOnlyList<int> Users,
    TimeSpan Duration,
    TimeSpan Warmup,
    string Mix,
    double DeclinedRate,
    TimeSpan Idle,
    TimeSpan SystemWarmup,
    IReadOnlyList<string> Tracing,
    string? Before,
    bool UseRunningSystem,
    string? EndpointsPath,
    string? StateDirectory,
    string? OutputPath,
    bool WriteDocs,
    bool Build,
    TimeSpan StartTimeout,
    int Rounds);

/// <summary>The order-path benchmark's command line.</summary>
public sealed class OrderPathOptions
{
    public const int MaxRounds = 20;

    public Option<string> Users { get; } = new("--users")
    {
        Description = "Closed-loop users per level, comma-separated.",
        DefaultValueFactory = _ => "1,4,16,64",
    };

    public Option<string> Duration { get; } = new("--duration")
    {
        Description = "How long each level is measured (30s, 2m).",
        DefaultValueFactory = _ => "30s",
    };

    public Option<string> Warmup { get; } = new("--warmup")
    {
        Description = "Load before each level's measurement, left out of its figures.",
        DefaultValueFactory = _ => "5s",
    };

    public Option<string> Mix { get; } = new("--mix")
    {
        Description = "The load generator's scenario weights.",
        DefaultValueFactory = _ => ScenarioMix.Default,
    };

    public Option<double> DeclinedRate { get; } = new("--declined-rate")
    {
        Description = "Share of orders paid with the declined test card (0 to 1). 0 by default: benchmark mode's provider declines nothing, and each declined order is a failed trace that the trace backend keeps whole; the load generator's own 0.05 adds them and their compensation.",
        HelpName = "share",
        DefaultValueFactory = _ => 0,
    };

    public Option<string> Idle { get; } = new("--idle")
    {
        Description = "How long to measure each process's CPU with no traffic before the first level, once no process has used more than 5 % of a core for 3 s (at most 3 minutes; 0 to skip).",
        DefaultValueFactory = _ => "10s",
    };

    public Option<string> SystemWarmup { get; } = new("--system-warmup")
    {
        Description = "Load at the highest level for this long, its results left out, once a started system is up and before its idle measurement: under load, a fresh system's JIT takes two and a half minutes to reach its steady state (0 to skip; a running system is warm already).",
        DefaultValueFactory = _ => "3m",
    };

    public Option<string> Tracing { get; } = new("--tracing")
    {
        Description = "The systems to start, one after the other: tracing on (every span sampled and exported), off, or both to compare.",
        DefaultValueFactory = _ => "on,off",
    };

    public Option<int> Rounds { get; } = new("--rounds")
    {
        Description = "Start and measure the systems this many times, one after the other in turn, each round starting one system further on (before, on, off; on, off, before; off, before, on...), and set their medians against each other: two systems of the same build differ by about ±10 %.",
        DefaultValueFactory = _ => 1,
    };

    public Option<string?> Before { get; } = new("--before")
    {
        Description = "Also start and measure the system built from this git ref or commit (HEAD~3, main), tracing on, first in the first round (each place in turn, --rounds), and set this tree against it.",
        HelpName = "ref",
    };

    public Option<bool> Running { get; } = new("--running")
    {
        Description = "Measure the system already running (its endpoints.json found as the load generator finds it) instead of starting one.",
    };

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = "Measure the running system this endpoints.json names (implies --running).",
        HelpName = "path",
    };

    public Option<string?> StateDirectory { get; } = new("--state-dir")
    {
        Description = "Where the systems the benchmark starts keep their state, and where results go (default .ordersystem/benchmark).",
        HelpName = "path",
    };

    public Option<string?> Output { get; } = new("--output")
    {
        Description = "The JSON result (default: results/<time>/order-path.json in the state folder, beside each level's load generator result and log).",
        HelpName = "path",
    };

    public Option<bool> WriteDocs { get; } = new("--write-docs")
    {
        Description = "Replace the figures in docs/benchmarks.md (between its order-path markers) with this run's tables and command line.",
    };

    public Option<bool> NoBuild { get; } = new("--no-build")
    {
        Description = "Start the AppHost as built, without building it first.",
    };

    public Option<string> StartTimeout { get; } = new("--start-timeout")
    {
        Description = "How long a started system may take to write its endpoints.json.",
        DefaultValueFactory = _ => "10m",
    };

    public RootCommand CreateCommand()
    {
        var command = new RootCommand("order-path: orders/s, latency and each process's CPU at 1..64 closed-loop users, tracing on against off, and against an earlier build with --before.");
        foreach (var option in (Option[])[Users, Duration, Warmup, Mix, DeclinedRate, Idle, SystemWarmup, Tracing, Rounds, Before, Running, Endpoints, StateDirectory, Output, WriteDocs, NoBuild, StartTimeout])
        {
            command.Options.Add(option);
        }

        return command;
    }

    /// <exception cref="FormatException">An option's value is not valid; the message names the option.</exception>
    public OrderPathSettings Bind(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var mix = parseResult.GetValue(Mix)!;
        if (ScenarioMix.TryParse(mix, out var mixError) is null)
        {
            throw new FormatException($"--mix: {mixError}");
        }

        var declinedRate = parseResult.GetValue(DeclinedRate);
        if (declinedRate is not (>= 0 and <= 1))
        {
            throw new FormatException($"--declined-rate: '{declinedRate.ToString(CultureInfo.InvariantCulture)}' is not a share from 0 to 1");
        }

        var endpoints = parseResult.GetValue(Endpoints);
        var running = parseResult.GetValue(Running) || endpoints is not null;
        var tracingGiven = parseResult.GetResult(Tracing) is { Implicit: false };
        if (running && tracingGiven)
        {
            throw new FormatException("--tracing chooses the systems the benchmark starts; a running system keeps its own (drop --running/--endpoints or --tracing)");
        }

        var before = parseResult.GetValue(Before);
        if (before is not null && string.IsNullOrWhiteSpace(before))
        {
            throw new FormatException("--before needs a git ref or commit, e.g. --before HEAD~3");
        }

        if (before is not null && running)
        {
            throw new FormatException("--before starts the system built from that ref beside the one it starts from this tree; it cannot measure a running system (drop --running/--endpoints or --before)");
        }

        var rounds = parseResult.GetValue(Rounds);
        if (rounds is < 1 or > MaxRounds)
        {
            throw new FormatException($"--rounds: '{rounds}' is not a number of rounds from 1 to {MaxRounds}");
        }

        if (rounds > 1 && running)
        {
            throw new FormatException("--rounds starts the systems again for each round; a running system is measured once (drop --running/--endpoints or --rounds)");
        }

        string[] tracing = running ? [TracingMode.AsRunning] : ParseTracing(parseResult.GetValue(Tracing)!);
        if (before is not null && !tracing.Contains(TracingMode.On))
        {
            throw new FormatException("--before measures both builds with tracing on; --tracing must include on");
        }

        return new OrderPathSettings(
            ParseUsers(parseResult.GetValue(Users)!),
            ParseDuration("--duration", parseResult.GetValue(Duration), allowZero: false),
            ParseDuration("--warmup", parseResult.GetValue(Warmup), allowZero: true),
            mix,
            declinedRate,
            ParseDuration("--idle", parseResult.GetValue(Idle), allowZero: true),
            ParseDuration("--system-warmup", parseResult.GetValue(SystemWarmup), allowZero: true),
            tracing,
            before,
            running,
            endpoints,
            parseResult.GetValue(StateDirectory),
            parseResult.GetValue(Output),
            parseResult.GetValue(WriteDocs),
            !parseResult.GetValue(NoBuild),
            ParseDuration("--start-timeout", parseResult.GetValue(StartTimeout), allowZero: false),
            rounds);
    }

    private static int[] ParseUsers(string text)
    {
        var levels = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var users = new List<int>();
        foreach (var level in levels)
        {
            if (!int.TryParse(level, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > LoadSettingsBinder.MaxConcurrency)
            {
                throw new FormatException($"--users: '{level}' is not a number of users from 1 to {LoadSettingsBinder.MaxConcurrency}");
            }

            users.Add(count);
        }

        return users.Count > 0 ? [.. users.Distinct()] : throw new FormatException("--users needs at least one level, e.g. --users 1,4,16,64");
    }

    private static string[] ParseTracing(string text)
    {
        var modes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(mode => mode.ToLowerInvariant()).Distinct().ToArray();
        return modes.Length > 0 && modes.All(mode => mode is TracingMode.On or TracingMode.Off)
            ? modes
            : throw new FormatException($"--tracing: '{text}' is not on, off or on,off");
    }

    private static TimeSpan ParseDuration(string option, string? text, bool allowZero) =>
        DurationText.TryParse(text, out var duration) && (duration > TimeSpan.Zero || (allowZero && duration == TimeSpan.Zero))
            ? duration
            : throw new FormatException($"{option}: '{text}' is not a duration{(allowZero ? "" : " above zero")} (500ms, 30s, 2m)");
}
