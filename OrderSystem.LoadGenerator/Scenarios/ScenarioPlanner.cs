using System.Globalization;

namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>What a scenario run is about: the scenario, the simulated user, and the seed of its own random choices.</summary>
public sealed record ScenarioPlan(ScenarioKind Kind, string UserId, int Seed);

/// <summary>
/// Draws the scenario runs from one seeded random source, so the same seed gives the same sequence of scenarios,
/// users and choices. Thread-safe.
/// </summary>
public sealed class ScenarioPlanner(ScenarioMix mix, int users, int seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);

    public static string UserId(int index) => "u-" + index.ToString(CultureInfo.InvariantCulture);

    public ScenarioPlan Next()
    {
        lock (_lock)
        {
            return new ScenarioPlan(mix.Pick(_random), UserId(_random.Next(1, users + 1)), _random.Next());
        }
    }
}
