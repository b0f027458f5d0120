using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The environment <c>dotnet run</c> gives the AppHost from its <c>http</c> launch profile: the profile's variables and
/// its <c>applicationUrl</c> as <c>ASPNETCORE_URLS</c>, with each fixed local port (the dashboard's 15080...) swapped
/// for a free one, so that the AppHost started this way runs beside someone's <c>./run.sh</c>.
/// </summary>
public static partial class AppHostLaunchProfile
{
    private const string Profile = "http";

    public static Dictionary<string, string> Environment(string projectDirectory, Func<int> freePort)
    {
        ArgumentNullException.ThrowIfNull(freePort);
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(projectDirectory, "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty(Profile);
        var variables = profile.GetProperty("environmentVariables").EnumerateObject()
            .ToDictionary(variable => variable.Name, variable => WithFreePort(variable.Value.GetString()!, freePort));
        variables["ASPNETCORE_URLS"] = WithFreePort(profile.GetProperty("applicationUrl").GetString()!, freePort);
        return variables;
    }

    private static string WithFreePort(string value, Func<int> freePort) =>
        LocalUrlPort().Replace(value, match => match.Groups["prefix"].Value + freePort().ToString(CultureInfo.InvariantCulture));

    [GeneratedRegex(@"(?<prefix>https?://localhost:)\d+")]
    private static partial Regex LocalUrlPort();
}
