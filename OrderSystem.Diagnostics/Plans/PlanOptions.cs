using System.ComponentModel.DataAnnotations;

namespace OrderSystem.Diagnostics.Plans;

/// <summary>How slow PostgreSQL statements are explained (<c>Diagnostics:Plans</c>).</summary>
public sealed class PlanOptions
{
    public const string SectionName = "Diagnostics:Plans";

    /// <summary>
    /// The connection strings the planner uses are <c>ConnectionStrings:&lt;name&gt;-reader</c>, one per database, as a
    /// role that may read but not change anything.
    /// </summary>
    public const string ReaderConnectionSuffix = "-reader";

    /// <summary>A sequential scan is worth an index when the planner expects the table to hold at least this many rows.</summary>
    [Range(1.0, double.MaxValue)]
    public double LargeTableRows { get; set; } = 10_000;

    /// <summary>How long the diagnosis API waits for a plan; after that the finding goes without advice while the plan is cached for the next call.</summary>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one explanation may take in the database (connection, planning and all).</summary>
    public TimeSpan ExplainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a statement's plan (or the failure to get one) is reused: plans change when indexes do.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
