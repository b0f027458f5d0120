using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

/// <summary>order-path's rounds start their systems in turn, each round one place further on.</summary>
[Trait("Category", "Unit")]
public sealed class RoundOrderTests
{
    private static readonly string[] Systems = ["before, on", "this tree, on", "this tree, off"];

    [Fact]
    public void Each_round_moves_the_first_system_to_the_end()
    {
        var rounds = Enumerable.Range(1, 4).Select(round => RoundOrder.Of(Systems, round)).ToList();

        Assert.Equal(Systems, rounds[0]);
        Assert.Equal(["this tree, on", "this tree, off", "before, on"], rounds[1]);
        Assert.Equal(["this tree, off", "before, on", "this tree, on"], rounds[2]);
        Assert.Equal(Systems, rounds[3]);
    }

    [Fact]
    public void Over_as_many_rounds_as_systems_each_system_is_started_in_each_place_once()
    {
        var rounds = Enumerable.Range(1, Systems.Length).Select(round => RoundOrder.Of(Systems, round)).ToList();

        for (var place = 0; place < Systems.Length; place++)
        {
            Assert.Equal(Systems.Order(), rounds.Select(order => order[place]).Order());
        }
    }

    [Fact]
    public void Two_systems_take_turns_to_go_first()
    {
        string[] two = ["before", "after"];

        Assert.Equal(["before", "after", "before"], Enumerable.Range(1, 3).Select(round => RoundOrder.Of(two, round)[0]));
    }

    [Fact]
    public void No_systems_make_an_empty_round()
    {
        Assert.Empty(RoundOrder.Of(Array.Empty<string>(), 2));
    }

    [Fact]
    public void Rounds_count_from_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RoundOrder.Of(Systems, 0));
    }
}
