namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The order in which a round starts its systems: as given in odd rounds, reversed in even ones. Two systems of one
/// build differ by about a tenth, and in two runs of a fixed order (docs/benchmarks.md, thirteenth and fourteenth
/// rounds) the system started first in every round was the faster; alternating puts each system first as often as
/// last, so neither a drift of the machine nor an effect of the order favours one build.
/// </summary>
public static class RoundOrder
{
    /// <param name="round">1 for the first round.</param>
    public static IReadOnlyList<T> Of<T>(IReadOnlyList<T> systems, int round)
    {
        ArgumentNullException.ThrowIfNull(systems);
        ArgumentOutOfRangeException.ThrowIfLessThan(round, 1);
        return round % 2 == 1 ? systems : [.. systems.Reverse()];
    }
}
