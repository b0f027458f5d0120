using System.Globalization;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>A process as <c>/proc</c> shows it at one moment: its stat line and its command line.</summary>
public sealed record ProcessEntry(ProcessStat Stat, string CommandLine);

/// <summary>Reads every process from <c>/proc</c>, skipping those that end while being read.</summary>
public static class ProcessTable
{
    public static IReadOnlyList<ProcessEntry> Read()
    {
        var entries = new List<ProcessEntry>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var stat = ProcessStat.Parse(File.ReadAllText(Path.Combine(directory, "stat")));
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').TrimEnd();
                entries.Add(new ProcessEntry(stat, commandLine));
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
            {
                // Gone between listing and reading.
            }
        }

        return entries;
    }

    /// <summary><paramref name="pid"/> and every process below it, however deep.</summary>
    public static IReadOnlyList<ProcessEntry> TreeOf(IReadOnlyList<ProcessEntry> processes, int pid)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var children = processes.ToLookup(process => process.Stat.ParentPid);
        var tree = processes.Where(process => process.Stat.Pid == pid).ToList();
        var parents = new Queue<int>([pid]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in children[parent])
            {
                tree.Add(child);
                parents.Enqueue(child.Stat.Pid);
            }
        }

        return tree;
    }
}
