using System.ComponentModel;
using System.Diagnostics;

namespace OrderSystem.Tests.Grpc;

/// <summary>
/// Runs the grpcio peers in Grpc/Interop with Debian's python3 (pyenv's python on PATH has no grpcio), on message
/// classes that protoc generates from the contracts' .proto files into a temporary directory.
/// </summary>
public sealed class PythonPeers : IAsyncLifetime
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

    private readonly string _interopDirectory = Path.Combine(RepositoryRoot(), "OrderSystem.Tests", "Grpc", "Interop");
    private readonly string _generatedDirectory = Directory.CreateTempSubdirectory("ordersystem-grpc-python-").FullName;

    public async ValueTask InitializeAsync()
    {
        var protos = Path.Combine(RepositoryRoot(), "OrderSystem.Contracts", "Protos");
        var (exitCode, _, error) = await RunAsync(
            "protoc", [$"--proto_path={protos}", "--proto_path=/usr/include", $"--python_out={_generatedDirectory}", "inventory.proto", "orders.proto"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"protoc failed ({exitCode}): {error}");
        }
    }

    /// <summary>Runs python_client.py and returns the JSON line it prints.</summary>
    public async Task<string> RunClientAsync(Uri server, string scenario, string argument = "")
    {
        var (exitCode, output, error) = await RunAsync(Python, ["-B", Path.Combine(_interopDirectory, "python_client.py"), $"{server.Host}:{server.Port}", scenario, argument]);
        return exitCode == 0 ? output.Trim() : throw new InvalidOperationException($"python_client.py failed ({exitCode}): {error}");
    }

    /// <summary>Starts python_server.py; it serves until the returned handle is disposed.</summary>
    public async Task<PythonServerProcess> StartServerAsync()
    {
        var process = Start(Python, ["-B", Path.Combine(_interopDirectory, "python_server.py")], redirectInput: true);
        try
        {
            using var timeout = new CancellationTokenSource(ProcessTimeout);
            var portLine = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("python_server.py exited: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            return new PythonServerProcess(process, new Uri($"http://127.0.0.1:{int.Parse(portLine, System.Globalization.CultureInfo.InvariantCulture)}"));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_generatedDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<(int ExitCode, string Output, string Error)> RunAsync(string fileName, string[] arguments)
    {
        using var process = Start(fileName, arguments, redirectInput: false);
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {ProcessTimeout}.");
        }

        return (process.ExitCode, await output, await error);
    }

    private Process Start(string fileName, string[] arguments, bool redirectInput)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["PYTHONPATH"] = _generatedDirectory;
        try
        {
            return Process.Start(startInfo)!;
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                $"cannot run {fileName}: install the test packages (python3-grpcio python3-protobuf protobuf-compiler; ./test.sh does it).", exception);
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderSystem.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"OrderSystem.sln not found above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A running python_server.py; disposing closes its stdin, which stops it.</summary>
public sealed class PythonServerProcess(Process process, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public async ValueTask DisposeAsync()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }
}
