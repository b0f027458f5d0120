using OrderSystem.LoadGenerator.Statistics;

namespace OrderSystem.LoadGenerator.Reporting;

/// <summary>Where a run stands, for the progress display: the current phase's figures so far.</summary>
public sealed record RunProgress(bool WarmingUp, TimeSpan Elapsed, TimeSpan Total, int InFlight, LoadSnapshot Phase);
