using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>order-path's rounds start their systems in the order given, then in reverse, in turn.</summary>
[Trait("Category", "Unit")]
public sealed class RoundOrderTests
{
    private static readonly string[] Systems = ["before, on", "this tree, on", "this tree, off"];

    [Fact]
    public void Odd_rounds_keep_the_order_and_even_rounds_reverse_it()
    {
        var rounds = Enumerable.Range(1, 4).Select(round => RoundOrder.Of(Systems, round)).ToList();

        Assert.Equal(Systems, rounds[0]);
        Assert.Equal(Enumerable.Reverse(Systems), rounds[1]);
        Assert.Equal(Systems, rounds[2]);
        Assert.Equal(Enumerable.Reverse(Systems), rounds[3]);
    }

    [Fact]
    public void The_system_started_first_in_one_round_is_started_last_in_the_next()
    {
        var firsts = new[] { 1, 2 }.Select(round => RoundOrder.Of(Systems, round)[0]);
        var lasts = new[] { 1, 2 }.Select(round => RoundOrder.Of(Systems, round)[^1]);

        Assert.Equal(["before, on", "this tree, off"], firsts);
        Assert.Equal(["this tree, off", "before, on"], lasts);
    }

    [Fact]
    public void Rounds_count_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundOrder.Of(Systems, 0));
    }
}
