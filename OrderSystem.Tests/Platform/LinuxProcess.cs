using System.Globalization;

namespace OrderSystem.Tests.Platform;

/// <summary>
/// A process as <c>/proc</c> shows it. Its start time (in clock ticks since boot) tells it apart from a later process
/// that the kernel gives the same pid.
/// </summary>
public sealed record LinuxProcess(int Pid, int ParentPid, long StartTime, string Name, string CommandLine)
{
    /// <summary>Whether this very process still runs (a zombie has finished: only its parent's wait is missing).</summary>
    public bool IsRunning => Read(Pid) is { } now && now.StartTime == StartTime && !now.IsZombie;

    private bool IsZombie { get; init; }

    public override string ToString() => $"{Pid} {Name}: {CommandLine}";

    public static IReadOnlyList<LinuxProcess> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => Read(int.Parse(name!, CultureInfo.InvariantCulture)))
            .OfType<LinuxProcess>()
            .ToList();

    /// <summary>Every process whose environment holds <paramref name="variable"/> (<c>NAME=value</c>): what inherited it, however it was started.</summary>
    public static IReadOnlyList<LinuxProcess> WithEnvironment(string variable) =>
        All().Where(process => EnvironmentOf(process.Pid).Contains(variable)).ToList();

    /// <summary>Every process below <paramref name="pid"/>, however deep.</summary>
    public static IReadOnlyList<LinuxProcess> DescendantsOf(int pid)
    {
        var children = All().ToLookup(process => process.ParentPid);
        var descendants = new List<LinuxProcess>();
        var parents = new Queue<int>([pid]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in children[parent])
            {
                descendants.Add(child);
                parents.Enqueue(child.Pid);
            }
        }

        return descendants;
    }

    private static string[] EnvironmentOf(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/environ").Split('\0');
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static LinuxProcess? Read(int pid)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the fields start after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var nameEnd = stat.LastIndexOf(')');
            var fields = stat[(nameEnd + 2)..].Split(' ');
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
            return new LinuxProcess(
                pid,
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                long.Parse(fields[19], CultureInfo.InvariantCulture),
                stat[(stat.IndexOf('(') + 1)..nameEnd],
                commandLine)
            {
                IsZombie = fields[0] == "Z",
            };
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return null; // gone between listing and reading
        }
    }
}
