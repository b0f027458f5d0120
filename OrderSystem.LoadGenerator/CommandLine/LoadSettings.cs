using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.CommandLine;

public enum LoadModelKind
{
    /// <summary>A constant arrival rate (<c>--rate</c>).</summary>
    Open,

    /// <summary>A fixed number of virtual users (<c>--concurrency</c>).</summary>
    Closed,
}

/// <summary>Where the run goes: the Gateway and its key, and the dashboard to open traces in.</summary>
/// <param name="EndpointsFile">The endpoints.json the values came from, if any.</param>
public sealed record GatewayTarget(Uri Gateway, string ApiKey, Uri? Dashboard, string? EndpointsFile)
{
    // The API key is a secret: records print their members, this one must not.
    public override string ToString() => $"GatewayTarget {{ Gateway = {Gateway}, Dashboard = {Dashboard} }}";
}

/// <summary>A validated description of one run.</summary>
public sealed record LoadSettings
{
    public required LoadModelKind Model { get; init; }

    /// <summary>Scenario runs started per second (open model).</summary>
    public double Rate { get; init; }

    /// <summary>Virtual users (closed model).</summary>
    public int Concurrency { get; init; }

    public required TimeSpan Duration { get; init; }

    public required TimeSpan Warmup { get; init; }

    public required ScenarioMix Mix { get; init; }

    public required int Users { get; init; }

    public required double DeclinedRate { get; init; }

    /// <summary>The only SKUs orders take (<c>--skus</c>); null for the whole catalogue.</summary>
    public IReadOnlySet<string>? Skus { get; init; }

    public required GatewayTarget Target { get; init; }

    /// <summary>Where the JSON result goes; null for nowhere.</summary>
    public string? OutputPath { get; init; }

    public required int Seed { get; init; }

    public required TimeSpan RequestTimeout { get; init; }

    public required int MaxInFlight { get; init; }
}
