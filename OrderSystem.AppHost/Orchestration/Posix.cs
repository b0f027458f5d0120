using System.Runtime.InteropServices;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>The few POSIX calls .NET's Process does not offer: sending a chosen signal and identifying a pid.</summary>
internal static partial class Posix
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static bool IsRoot => Environment.IsPrivilegedProcess;

    public static bool SendSignal(int pid, int signal) => kill(pid, signal) == 0;

    /// <summary>Whether the process exists and is not a zombie (an orphan's zombie stays until its new parent reaps it).</summary>
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The process start time in clock ticks since boot (field 22 of /proc/PID/stat); with the pid it identifies a process even after pid reuse.</summary>
    public static long? GetStartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces and parentheses: fields after it start past the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
