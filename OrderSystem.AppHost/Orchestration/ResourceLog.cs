namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// A resource's console output: appended to <c>logs/{resource}.log</c>, echoed to the AppHost console with the
/// resource's name as prefix, and the last lines kept for the resource API and failure reports.
/// </summary>
public sealed class ResourceLog : IDisposable
{
    private const int KeptLines = 1000;
    private static readonly Lock ConsoleGate = new();
    private static readonly string[] Colors = ["\e[36m", "\e[35m", "\e[33m", "\e[32m", "\e[34m", "\e[91m", "\e[96m", "\e[95m", "\e[93m", "\e[92m"];
    private static int _nextColor;

    private readonly Queue<string> _lines = new();
    private readonly StreamWriter _file;
    private readonly string _prefix;
    private readonly bool _echo;

    public ResourceLog(string resourceName, string logsDirectory, bool echoToConsole)
    {
        ResourceName = resourceName;
        FilePath = Path.Combine(logsDirectory, resourceName + ".log");
        _file = new StreamWriter(new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var color = Console.IsOutputRedirected ? string.Empty : Colors[Interlocked.Increment(ref _nextColor) % Colors.Length];
        var reset = Console.IsOutputRedirected ? string.Empty : "\e[0m";
        _prefix = $"{color}{resourceName,-14}|{reset} ";
        _echo = echoToConsole;
    }

    public string ResourceName { get; }

    public string FilePath { get; }

    /// <summary>Raised for each line, for runners that learn something from a resource's output (the broker's port).</summary>
    public event Action<string>? LineWritten;

    public void Write(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines)
            {
                _lines.Dequeue();
            }

            _file.WriteLine(line);
        }

        if (_echo)
        {
            lock (ConsoleGate)
            {
                Console.Out.WriteLine(_prefix + line);
            }
        }

        LineWritten?.Invoke(line);
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lines)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToArray();
        }
    }

    public void Dispose()
    {
        lock (_lines)
        {
            _file.Dispose();
        }
    }
}
