using System.Diagnostics;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>What to run for a resource: the program, its arguments, working directory and environment.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The signal that asks the program to stop quickly and cleanly (PostgreSQL's fast shutdown is SIGINT).</summary>
    public int StopSignal { get; init; } = Posix.SIGTERM;
}

/// <summary>
/// A child process in its own session (so a Ctrl-C in the terminal reaches only the AppHost, which then stops the
/// resources in order), with its output sent line by line to a <see cref="ResourceLog"/>.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    // Variables that belong to the AppHost itself and must not leak into what it runs (as Aspire's DCP does).
    private static readonly string[] NotInherited = ["ASPNETCORE_URLS", "DOTNET_LAUNCH_PROFILE", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "ORDERSYSTEM_STATE_DIR"];

    private readonly Process _process;
    private readonly ProcessSpec _spec;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ManagedProcess(Process process, ProcessSpec spec)
    {
        _process = process;
        _spec = spec;
    }

    public int Pid => _process.Id;

    /// <summary>Completes with the exit code once the process has exited and its output is drained.</summary>
    public Task<int> Exited => _exited.Task;

    public static ManagedProcess Start(ProcessSpec spec, ResourceLog log)
    {
        var startInfo = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(spec.FileName);
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var name in NotInherited.Concat(startInfo.Environment.Keys.Where(IsInjectedByAppHost)).ToArray())
        {
            startInfo.Environment.Remove(name);
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, spec);
        var outputDrained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streamsOpen = 2;
        void OnLine(string? line)
        {
            if (line is not null)
            {
                log.Write(line);
            }
            else if (Interlocked.Decrement(ref streamsOpen) == 0)
            {
                outputDrained.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Exited += async (_, _) =>
        {
            // Keep the last lines in the log, but do not wait forever for a grandchild that still holds the pipes.
            await Task.WhenAny(outputDrained.Task, Task.Delay(TimeSpan.FromSeconds(2)));
            managed._exited.TrySetResult(process.ExitCode);
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Asks the process to stop with its stop signal; kills it and its children if it has not exited in time.</summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (_exited.Task.IsCompleted)
        {
            return;
        }

        Posix.SendSignal(Pid, _spec.StopSignal);
        if (await Task.WhenAny(_exited.Task, Task.Delay(gracePeriod)) != _exited.Task)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the check and the kill.
            }

            await ((Task)_exited.Task.WaitAsync(TimeSpan.FromSeconds(2))).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(3));
        _process.Dispose();
    }

    private static bool IsInjectedByAppHost(string name) =>
        name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("services__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("OTEL_", StringComparison.Ordinal) && name is not ("OTEL_TRACES_SAMPLER" or "OTEL_TRACES_SAMPLER_ARG");
}
