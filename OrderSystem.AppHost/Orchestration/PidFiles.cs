using System.Globalization;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// One file per running process (<c>pids/{resource}.pid</c>: pid and start time). A run after a crash finds the
/// processes the crashed AppHost left behind and stops them before starting anew.
/// </summary>
public sealed class PidFiles(string directory)
{
    public void Record(string resourceName, int pid)
    {
        Directory.CreateDirectory(directory);
        var startTime = Posix.GetStartTime(pid);
        File.WriteAllText(PathFor(resourceName), FormattableString.Invariant($"{pid} {startTime}"));
    }

    public void Remove(string resourceName) => File.Delete(PathFor(resourceName));

    /// <summary>Processes recorded by an earlier run that are still alive (same pid and start time), with their resource names.</summary>
    public IReadOnlyList<(string Resource, int Pid)> FindOrphans()
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var orphans = new List<(string, int)>();
        foreach (var file in Directory.GetFiles(directory, "*.pid"))
        {
            var parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2
                && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var startTime)
                && Posix.GetStartTime(pid) == startTime)
            {
                orphans.Add((Path.GetFileNameWithoutExtension(file), pid));
            }
            else
            {
                File.Delete(file);
            }
        }

        return orphans;
    }

    private string PathFor(string resourceName) => Path.Combine(directory, resourceName + ".pid");
}
