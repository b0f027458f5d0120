extern alias orders;

using orders::OrderSystem.Orders.Placement;

namespace OrderSystem.Tests.Orders;

public sealed class OrderLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Inserted = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, false)]
    [InlineData(5_999, false)]
    [InlineData(6_001, true)]
    [InlineData(59_000, true)]
    [InlineData(61_000, true)]
    public void A_lease_is_renewed_once_a_tenth_of_it_is_gone(int elapsedMs, bool renewed) =>
        Assert.Equal(renewed, OrderLease.NeedsRenewal(Inserted + Lease, Inserted + TimeSpan.FromMilliseconds(elapsedMs), Lease));
}
