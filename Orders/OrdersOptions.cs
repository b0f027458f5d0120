namespace OrderSystem.Orders;

/// <summary>Settings of the order saga, its recovery and the outbox relay, bound from configuration section <c>Orders</c>.</summary>
public sealed class OrdersOptions
{
    public const string SectionName = "Orders";

    /// <summary>
    /// How long a PENDING order belongs to the saga that runs it (renewed before the payment once a tenth of it is
    /// gone, <c>OrderLease</c>). Past it, the order counts as stalled (its process died mid-saga) and
    /// <c>StalledOrderRecovery</c> resolves it. Nine tenths of it are longer than any single step.
    /// </summary>
    public TimeSpan PendingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often recovery looks for stalled orders.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of an Inventory call when the caller set none, and of every compensating call.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to keep asking Payments for the outcome of a payment whose call failed without an answer.</summary>
    public TimeSpan PaymentOutcomeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a duplicate request waits for the first request's order to finish (capped by its deadline).</summary>
    public TimeSpan DuplicateWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the outbox relay looks for messages when no commit woke it.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages the relay claims and sends at once.</summary>
    public int OutboxBatchSize { get; set; } = 50;

    /// <summary>How often the outbox backlog is counted for the <c>orders.outbox.*</c> gauges.</summary>
    public TimeSpan OutboxBacklogSampleInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait before a failed message is sent again (the backoff doubles from one second up to it).</summary>
    public TimeSpan OutboxMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
