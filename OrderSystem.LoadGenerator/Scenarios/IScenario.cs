namespace OrderSystem.LoadGenerator.Scenarios;

/// <summary>A piece of user behaviour: the requests one run sends, through <see cref="ScenarioRun.SendAsync"/>.</summary>
public interface IScenario
{
    ScenarioKind Kind { get; }

    Task RunAsync(ScenarioRun run, CancellationToken cancellationToken);
}
