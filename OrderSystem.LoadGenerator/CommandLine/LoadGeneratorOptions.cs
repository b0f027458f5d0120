using System.CommandLine;
using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>The command line's options. Values are checked together in <see cref="LoadSettingsBinder"/>.</summary>
public sealed class LoadGeneratorOptions
{
    public const double DefaultRate = 20;

    public Option<double?> Rate { get; } = new("--rate")
    {
        Description = $"Open model: scenario runs started per second, whatever the Gateway does; latency counts from the intended start (default {DefaultRate} when --concurrency is not given).",
        HelpName = "req/s",
        CustomParser = NumberArgument.Parse<double>,
    };

    public Option<int?> Concurrency { get; } = new("--concurrency")
    {
        Description = "Closed model: this many virtual users, each starting its next scenario when the last one finished.",
        HelpName = "n",
        CustomParser = NumberArgument.Parse<int>,
    };

    public Option<string> Duration { get; } = new("--duration")
    {
        Description = "How long to measure (500ms, 30s, 2m, 1h).",
        DefaultValueFactory = _ => "30s",
    };

    public Option<string> Warmup { get; } = new("--warmup")
    {
        Description = "Load before measuring; its requests are left out of the results.",
        HelpName = "duration",
        DefaultValueFactory = _ => "5s",
    };

    public Option<string> Mix { get; } = new("--mix")
    {
        Description = "Scenario weights: browse (list products), order (place one and read it back), read (a user's earlier order, its notifications or their list).",
        HelpName = "weights",
        DefaultValueFactory = _ => ScenarioMix.Default,
    };

    public Option<int> Users { get; } = new("--users")
    {
        Description = "Simulated user ids (u-1 … u-n).",
        HelpName = "n",
        DefaultValueFactory = _ => 100,
    };

    public Option<double> DeclinedRate { get; } = new("--declined-rate")
    {
        Description = "Share of orders paid with the declined test card 4000000000000002 (0 to 1); their 402 is expected, not an error.",
        HelpName = "share",
        DefaultValueFactory = _ => 0.05,
    };

    public Option<string?> Skus { get; } = new("--skus")
    {
        Description = "Orders take only these SKUs (comma-separated), a hot set that concurrent orders compete for; default: the whole catalogue.",
        HelpName = "list",
    };

    public Option<string?> Endpoints { get; } = new("--endpoints")
    {
        Description = "The AppHost's endpoints.json (default: $ORDERSYSTEM_STATE_DIR/endpoints.json, else .ordersystem/endpoints.json in this folder or above).",
        HelpName = "path",
    };

    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = "The Gateway's base URL (http or https) instead of the one in endpoints.json; needs --api-key.",
        HelpName = "url",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The Gateway API key instead of the one in endpoints.json.",
        HelpName = "key",
    };

    public Option<string?> Output { get; } = new("--output")
    {
        Description = "Where to write the JSON result (default: loadgen/result-<time>.json next to endpoints.json).",
        HelpName = "path",
    };

    public Option<int?> Seed { get; } = new("--seed")
    {
        Description = "Seed of the random choices (scenarios, users, SKUs, cards), for a repeatable sequence; the result records the one used.",
        HelpName = "n",
        CustomParser = NumberArgument.Parse<int>,
    };

    public Option<string> RequestTimeout { get; } = new("--request-timeout")
    {
        Description = "How long one request may take before it counts as a timeout.",
        HelpName = "duration",
        DefaultValueFactory = _ => "10s",
    };

    public Option<int> MaxInFlight { get; } = new("--max-in-flight")
    {
        Description = "Open model: most scenario runs in flight at once; arrivals that find none free by the end count as unsent.",
        HelpName = "n",
        DefaultValueFactory = _ => 256,
    };

    public IEnumerable<Option> All =>
    [
        Rate, Concurrency, Duration, Warmup, Mix, Users, DeclinedRate, Skus, Endpoints, Gateway, ApiKey, Output, Seed, RequestTimeout, MaxInFlight,
    ];
}
