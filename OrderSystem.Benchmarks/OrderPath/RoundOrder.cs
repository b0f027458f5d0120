namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The order in which a round starts its systems: each round moves the first system to the end, so over as many rounds
/// as there are systems each system is started in each place once. Two systems of one build differ by about a tenth,
/// and where they were run in a fixed order (docs/benchmarks.md, thirteenth and fourteenth rounds) the system started
/// first in every round was the faster; reversing every other round left the middle of three systems in the middle,
/// and the middle place was the slowest of the next run. Rotating lets neither a drift of the machine nor a place in
/// the order favour one build.
/// </summary>
public static class RoundOrder
{
    /// <param name="round">1 for the first round.</param>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> systems, int round)
    {
        ArgumentNullException.ThrowIfNull(systems);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        if (systems.Count == 0)
        {
            return systems;
        }

        var first = (round - 1) % systems.Count;
        return [.. systems.Skip(first), .. systems.Take(first)];
    }
}
