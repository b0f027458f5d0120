using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// The AppHost started the way a person starts it: its build output with the environment of its <c>http</c> launch
/// profile (what <c>dotnet run</c> applies), in a state folder of its own. The fixed ports are swapped for free ones
/// so that a run beside someone's <c>./run.sh</c> does not fail on a taken port.
/// </summary>
public static partial class AppHostProcess
{
    private const string LaunchProfile = "http";

    public static string ProjectDirectory { get; } = Path.Combine(TestRepository.Root, "OrderSystem.AppHost");

    public static ChildProcess Start(string stateDirectory, IReadOnlyDictionary<string, string?>? environment = null, params string[] arguments)
    {
        var variables = LaunchProfileEnvironment();
        variables["ORDERSYSTEM_STATE_DIR"] = stateDirectory;
        // The resources' own fixed ports (the Gateway's 5080) too, as Aspire.Hosting.Testing does.
        variables["DcpPublisher__RandomizePorts"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return ChildProcess.Start(TestRepository.DotnetHost, [TestRepository.AppHostAssembly, .. arguments], variables, ProjectDirectory);
    }

    /// <summary>The profile's environment variables and its <c>applicationUrl</c> as <c>ASPNETCORE_URLS</c>.</summary>
    private static Dictionary<string, string?> LaunchProfileEnvironment()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(ProjectDirectory, "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty(LaunchProfile);
        var variables = profile.GetProperty("environmentVariables").EnumerateObject()
            .ToDictionary(variable => variable.Name, variable => (string?)WithFreePort(variable.Value.GetString()!));
        variables["ASPNETCORE_URLS"] = WithFreePort(profile.GetProperty("applicationUrl").GetString()!);
        return variables;
    }

    private static string WithFreePort(string value) =>
        LocalUrlPort().Replace(value, match => match.Groups["prefix"].Value + PortAllocator.AllocateFreePort().ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?<prefix>https?://localhost:)\d+")]
    private static partial Regex LocalUrlPort();
}
