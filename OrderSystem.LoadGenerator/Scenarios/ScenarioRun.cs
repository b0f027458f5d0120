using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>
/// One run of a scenario: sends its requests and records them. The first request's latency counts from the run's
/// intended start, so time spent waiting to be sent (a busy generator, a full in-flight limit) is not hidden
/// (coordinated omission); a follow-up request counts from when the response it depends on arrived.
/// </summary>
public sealed class ScenarioRun(ScenarioPlan plan, long intendedStart, GatewayClient gateway, LoadStatistics statistics, TimeProvider timeProvider)
{
    private bool _started;

    public ScenarioPlan Plan { get; } = plan;

    public string UserId => Plan.UserId;

    /// <summary>The run's own random choices, from the plan's seed.</summary>
    public Random Random { get; } = new(plan.Seed);

    /// <summary>At least one request was an error.</summary>
    public bool Failed { get; private set; }

    /// <summary>The first <c>Retry-After</c> the Gateway asked for.</summary>
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>From the intended start to the last response: the scenario's latency, without the generator's own work after it.</summary>
    public TimeSpan Latency { get; private set; }

    public async Task<GatewayResponse> SendAsync(GatewayRequest request, CancellationToken cancellationToken)
    {
        var start = _started ? timeProvider.GetTimestamp() : intendedStart;
        _started = true;
        var response = await gateway.SendAsync(request, start, cancellationToken).ConfigureAwait(false);
        Latency = timeProvider.GetElapsedTime(intendedStart);
        statistics.RecordRequest(response);
        Failed |= response.IsError;
        RetryAfter ??= response.RetryAfter;
        return response;
    }
}
