namespace OrderSystem.LoadGenerator.CommandLine;

/// <summary>What the command reads from its surroundings, so that tests can supply their own.</summary>
/// <param name="StateDirectory">The value of <c>ORDERSYSTEM_STATE_DIR</c>, if set.</param>
public sealed record LoadGeneratorEnvironment(string CurrentDirectory, string? StateDirectory, TimeProvider TimeProvider)
{
    public static LoadGeneratorEnvironment FromProcess() => new(
        Directory.GetCurrentDirectory(),
        Environment.GetEnvironmentVariable(Endpoints.EndpointsFileLocator.StateDirectoryVariable),
        TimeProvider.System);
}
