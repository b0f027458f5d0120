using System.Diagnostics;
using System.Runtime.InteropServices;
using OrderSystem.Benchmarks.Diagnostics;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>
/// The AppHost started as <c>./run.sh</c> starts it (its Release build, with its <c>http</c> launch profile's
/// environment), with a state folder of its own and free ports, so that it runs beside a <c>./run.sh</c>. It is up once
/// it has written <c>endpoints.json</c>; disposing it sends SIGTERM, as Ctrl-C in <c>./run.sh</c> would, and waits for
/// it to exit and for its resources' processes to end.
/// </summary>
public sealed partial class AppHostChild : IAsyncDisposable
{
    private const int SIGTERM = 15;
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private bool _logClosed;

    private AppHostChild(Process process, StreamWriter log, string endpointsPath)
    {
        _process = process;
        _log = log;
        EndpointsPath = endpointsPath;
        process.OutputDataReceived += (_, line) => Write(line.Data);
        process.ErrorDataReceived += (_, line) => Write(line.Data);
    }

    public int Pid => _process.Id;

    public string EndpointsPath { get; }

    /// <summary>Builds the AppHost (and through it every service) in Release, as <c>./run.sh</c> does.</summary>
    public static Task BuildAsync(string repositoryRoot, CancellationToken cancellationToken) =>
        CommandLineProcess.RunAsync("dotnet", ["build", Path.Combine(repositoryRoot, "OrderSystem.AppHost"), "-c", "Release", "-nologo", "-v", "quiet", "-clp:ErrorsOnly"], cancellationToken);

    /// <param name="settings">AppHost configuration as environment variables (<c>OrderSystem__Tracing</c>...).</param>
    public static async Task<AppHostChild> StartAsync(
        string repositoryRoot,
        string stateDirectory,
        IReadOnlyDictionary<string, string> settings,
        TimeSpan startTimeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var projectDirectory = Path.Combine(repositoryRoot, "OrderSystem.AppHost");
        var startInfo = new ProcessStartInfo(Path.Combine(projectDirectory, "bin", "Release", "net10.0", "OrderSystem.AppHost"))
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in AppHostLaunchProfile.Environment(projectDirectory, DiagnosticsBenchmark.FreePort))
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["ORDERSYSTEM_STATE_DIR"] = stateDirectory;
        // The resources' fixed ports (the Gateway's 5080) too, as Aspire.Hosting.Testing does.
        startInfo.Environment["DcpPublisher__RandomizePorts"] = "true";
        foreach (var (name, value) in settings)
        {
            startInfo.Environment[name] = value;
        }

        var endpointsPath = Path.Combine(stateDirectory, "endpoints.json");
        var log = new StreamWriter(Path.Combine(stateDirectory, "apphost.log")) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo };
        var child = new AppHostChild(process, log, endpointsPath);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await child.WaitUntilUpAsync(startTimeout, cancellationToken).ConfigureAwait(false);
            return child;
        }
        catch
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        var pid = _process.Id;
        if (!_process.HasExited)
        {
            _ = kill(pid, SIGTERM);
            using var stopping = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // DCP stops the resources itself once the AppHost has gone, some seconds later: the next system must not start
        // (and be measured) beside them.
        using var ending = new CancellationTokenSource(StopTimeout);
        try
        {
            while (ResourceProcesses.OfSystem(ProcessTable.Read(), pid).Count > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ending.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Whatever still runs after that is DCP's to end.
        }

        _process.Dispose();
        lock (_log)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private async Task WaitUntilUpAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            // The AppHost writes the file (atomically) once the Gateway, which waits for everything else, is healthy.
            while (!File.Exists(EndpointsPath))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the AppHost exited with code {_process.ExitCode} before it was up; see {LogPath}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the AppHost was not up within {timeout}; see {LogPath}");
        }
    }

    private string LogPath => Path.Combine(Path.GetDirectoryName(EndpointsPath)!, "apphost.log");

    private void Write(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
