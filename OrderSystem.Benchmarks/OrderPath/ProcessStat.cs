using System.Globalization;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// One line of <c>/proc/&lt;pid&gt;/stat</c> (proc(5)): the process's name, parent, CPU time so far in clock ticks,
/// and its start time, which tells it apart from a later process that the kernel gives the same pid.
/// </summary>
public sealed record ProcessStat(int Pid, string Name, int ParentPid, long UserTicks, long SystemTicks, long StartTime)
{
    /// <summary>User and system time: what the process has had of a CPU since it started.</summary>
    public long CpuTicks => UserTicks + SystemTicks;

    /// <exception cref="FormatException">The line is not a stat line.</exception>
    public static ProcessStat Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the fields start after the last ')'.
        var nameStart = line.IndexOf(" (", StringComparison.Ordinal);
        var nameEnd = line.LastIndexOf(')');
        if (nameStart <= 0 || nameEnd < nameStart || nameEnd + 2 > line.Length)
        {
            throw new FormatException($"not a /proc stat line: '{line}'");
        }

        // Fields 3 (state) onwards: ppid is field 4, utime 14, stime 15, starttime 22.
        var fields = line[(nameEnd + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20)
        {
            throw new FormatException($"a /proc stat line with {fields.Length + 2} fields, not at least 22: '{line}'");
        }

        return new ProcessStat(
            int.Parse(line[..nameStart], CultureInfo.InvariantCulture),
            line[(nameStart + 2)..nameEnd],
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture),
            long.Parse(fields[12], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
    }
}
