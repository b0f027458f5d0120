using System.Globalization;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// Names the part of the system a process belongs to: the AppHost itself, Aspire's orchestrator (dcp) and dashboard,
/// a service (by its executable, assembly or project name), or the local PostgreSQL, redis-server and Kafka broker.
/// </summary>
public static class ResourceProcesses
{
    public const string AppHost = "apphost";
    public const string Other = "other";

    // Executable, assembly or project file name (without extension) -> the part it runs.
    private static readonly Dictionary<string, string> ByFileName = new(StringComparer.Ordinal)
    {
        ["Gateway"] = "gateway",
        ["Orders"] = "orders",
        ["Inventory"] = "inventory",
        ["Payments"] = "payments",
        ["Notifications"] = "notifications",
        ["OrderSystem.Diagnostics"] = "diagnostics",
        ["OrderSystem.KafkaBroker"] = "kafka broker",
        ["Aspire.Dashboard"] = "aspire dashboard",
        ["OrderSystem.AppHost"] = AppHost,
        ["redis-server"] = "redis",
        ["postgres"] = "postgresql",
        ["dcp"] = "dcp",
        ["dcpctrl"] = "dcp",
        ["dcpproc"] = "dcp",
    };

    /// <summary>
    /// The AppHost and every process of its resources. DCP's API server detaches from the AppHost (its parent is init)
    /// and watches it instead (<c>dcp start-apiserver --monitor &lt;AppHost pid&gt;</c>); the services, PostgreSQL,
    /// redis-server and the broker run below DCP.
    /// </summary>
    public static IReadOnlyList<ProcessEntry> OfSystem(IReadOnlyList<ProcessEntry> processes, int appHostPid)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var monitor = "--monitor " + appHostPid.ToString(CultureInfo.InvariantCulture);
        var orchestrators = processes.Where(process =>
            process.Stat.Name == "dcp"
            && (process.CommandLine.Contains(monitor + " ", StringComparison.Ordinal) || process.CommandLine.EndsWith(monitor, StringComparison.Ordinal)));
        return [.. ProcessTable.TreeOf(processes, appHostPid)
            .Concat(orchestrators.SelectMany(orchestrator => ProcessTable.TreeOf(processes, orchestrator.Stat.Pid)))
            .DistinctBy(process => process.Stat.Pid)];
    }

    /// <summary>The part <paramref name="process"/> runs, or <see cref="Other"/> (a shell, setpriv, a build server).</summary>
    public static string Classify(ProcessEntry process, int appHostPid)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.Stat.Pid == appHostPid)
        {
            return AppHost;
        }

        // PostgreSQL's backends rename themselves ("postgres: checkpointer"), but keep their comm.
        if (ByFileName.TryGetValue(process.Stat.Name, out var byName))
        {
            return byName;
        }

        foreach (var argument in process.CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var fileName = Path.GetFileName(argument);
            foreach (var extension in (string[])[".dll", ".csproj", ".exe"])
            {
                if (fileName.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    fileName = fileName[..^extension.Length];
                }
            }

            if (ByFileName.TryGetValue(fileName, out var part))
            {
                return part;
            }
        }

        return Other;
    }
}
