namespace OrderSystem.Orders.Placement;

/// <summary>When a saga renews the lease on its PENDING order before a step (<see cref="OrdersOptions.PendingTimeout"/>).</summary>
public static class OrderLease
{
    /// <summary>The share of a lease every step is sure to have: the saga renews once more than a tenth of it is gone.</summary>
    public const double StepShare = 0.9;

    /// <summary>
    /// Once a tenth of the lease is gone. Until then the next step still has nine tenths of a lease, and recovery, which
    /// takes only orders whose lease has run out, cannot have taken the order: renewing would be a round trip that
    /// changes nothing. The deduction before the payment usually takes milliseconds, so most orders are not renewed.
    /// </summary>
    public static bool NeedsRenewal(DateTimeOffset leaseUntil, DateTimeOffset now, TimeSpan pendingTimeout) =>
        leaseUntil - now < pendingTimeout * StepShare;
}
