using OrderSystem.Benchmarks.OrderPath;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// The AppHost started the way a person starts it: its build output with the environment of its <c>http</c> launch
/// profile (what <c>dotnet run</c> applies, with free ports: <see cref="AppHostLaunchProfile"/>), in a state folder of
/// its own.
/// </summary>
public static class AppHostProcess
{
    public static string ProjectDirectory { get; } = Path.Combine(TestRepository.Root, "OrderSystem.AppHost");

    public static ChildProcess Start(string stateDirectory, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var variables = AppHostLaunchProfile.Environment(ProjectDirectory, PortAllocator.AllocateFreePort)
            .ToDictionary(variable => variable.Key, variable => (string?)variable.Value);
        variables["ORDERSYSTEM_STATE_DIR"] = stateDirectory;
        // The resources' own fixed ports (the Gateway's 5080) too, as Aspire.Hosting.Testing does.
        variables["DcpPublisher__RandomizePorts"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return ChildProcess.Start(TestRepository.DotnetHost, [TestRepository.AppHostAssembly, .. arguments], variables, ProjectDirectory);
    }
}
