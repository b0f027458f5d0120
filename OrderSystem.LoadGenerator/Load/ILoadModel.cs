using OrderSystem.LoadGenerator.Scenarios;

namespace OrderSystem.LoadGenerator.Load;

/// <summary>How scenario runs are started over the schedule: at a fixed rate (open) or by a fixed number of users (closed).</summary>
public interface ILoadModel
{
    /// <summary>Runs until the schedule ends and every started run finished; returns early, without throwing, when cancelled.</summary>
    Task RunAsync(ScenarioExecutor executor, ScenarioPlanner planner, RunSchedule schedule, CancellationToken cancellationToken);
}
