using OrderSystem.Benchmarks.OrderPath;

namespace OrderSystem.Tests.Benchmarks;

public sealed class QuietWaitTests
{
    [Fact]
    public void A_sample_is_quiet_when_its_busiest_part_uses_at_most_5_percent_of_a_core()
    {
        IReadOnlyList<ProcessCpu> quiet = [new("orders", 1, 0.8, 0.4), new("aspire dashboard", 1, 5, 2.5), new("postgresql", 9, 0.3, 0.15)];
        IReadOnlyList<ProcessCpu> busy = [new("orders", 1, 0.8, 0.4), new("aspire dashboard", 1, 5.1, 2.55), new("notifications", 1, 3, 1.5)];

        Assert.Equal("aspire dashboard", QuietWait.Busiest(quiet)?.Process);
        Assert.True(QuietWait.IsQuiet(QuietWait.Busiest(quiet)));
        Assert.Equal("aspire dashboard", QuietWait.Busiest(busy)?.Process);
        Assert.False(QuietWait.IsQuiet(QuietWait.Busiest(busy)));
        Assert.True(QuietWait.IsQuiet(QuietWait.Busiest([])));
    }
}
