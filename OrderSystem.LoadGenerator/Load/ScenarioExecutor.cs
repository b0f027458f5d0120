using OrderSystem.LoadGenerator.Gateway;
using OrderSystem.LoadGenerator.Scenarios;
using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.LoadGenerator.Load;

/// <summary>
/// Runs planned scenarios for the load models and files what they measured under the phase their intended start
/// falls in: warm-up results are kept apart and left out of the result.
/// </summary>
public sealed class ScenarioExecutor(IEnumerable<IScenario> scenarios, GatewayClient gateway, RunSchedule schedule, TimeProvider timeProvider)
{
    private readonly Dictionary<ScenarioKind, IScenario> _scenarios = scenarios.ToDictionary(scenario => scenario.Kind);
    private int _inFlight;

    public LoadStatistics Warmup { get; } = new();

    public LoadStatistics Measured { get; } = new();

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <returns>The <c>Retry-After</c> the Gateway asked for, if it did.</returns>
    public async Task<TimeSpan?> RunAsync(ScenarioPlan plan, long intendedStart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var statistics = StatisticsFor(intendedStart);
        var run = new ScenarioRun(plan, intendedStart, gateway, statistics, timeProvider);
        Interlocked.Increment(ref _inFlight);
        try
        {
            await _scenarios[plan.Kind].RunAsync(run, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        statistics.RecordScenario(plan.Kind, run.Latency, run.Failed);
        return run.RetryAfter;
    }

    public void RecordUnsent(long intendedStart) => StatisticsFor(intendedStart).RecordUnsent();

    private LoadStatistics StatisticsFor(long intendedStart) => schedule.IsWarmup(intendedStart) ? Warmup : Measured;
}
