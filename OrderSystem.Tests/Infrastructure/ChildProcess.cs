using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>A process the tests start (the AppHost, a service), its output kept for assertions and failure messages.</summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public Task<int> Exited => _exited.Task;

    public IReadOnlyCollection<string> Output => _output;

    public string OutputText => string.Join(Environment.NewLine, _output);

    public static ChildProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestRepository.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process);
        var drained = new CountdownEvent(2);
        void OnLine(string? line)
        {
            if (line is null)
            {
                drained.Signal();
            }
            else
            {
                child._output.Enqueue(line);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            drained.Wait(TimeSpan.FromSeconds(2));
            child._exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGTERM, as systemd, a container runtime or `kill` would send.</summary>
    public void Terminate() => kill(Pid, SIGTERM);

    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        if (!_exited.Task.IsCompleted)
        {
            Terminate();
            if (await Task.WhenAny(_exited.Task, Task.Delay(TimeSpan.FromSeconds(15))) != _exited.Task)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
