namespace OrderSystem.Diagnostics.Audit;

/// <summary>The audit's time limits, bound from <c>Diagnostics:Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Diagnostics:Audit";

    /// <summary>An order that changed more recently is still settling (outbox relay, consumer) and not checked yet.</summary>
    public TimeSpan SettleGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A PENDING order unchanged for longer is stuck: Orders' recovery should have finished it by then.</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(2);
}
