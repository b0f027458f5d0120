using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, without persistence, optionally with <c>requirepass</c>.
/// It can be stopped and started again on the same port; disposing it always stops the process.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string ServerPath = "/usr/bin/redis-server";
    private const string CliPath = "/usr/bin/redis-cli";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    private Process? _process;

    private RedisServer(int port, string? password)
    {
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string? Password { get; }

    public static async Task<RedisServer> StartAsync(string? password = null)
    {
        if (!File.Exists(ServerPath) || !File.Exists(CliPath))
        {
            throw new InvalidOperationException("redis-server and redis-cli are required: apt-get install -y redis-server redis-tools (see scripts/prerequisites.sh).");
        }

        var server = new RedisServer(PortAllocator.AllocateFreePort(), password);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public string ConnectionString(string? extra = null) =>
        $"127.0.0.1:{Port}" + (Password is null ? "" : $",password={Password}") + (extra is null ? "" : "," + extra);

    /// <summary>Starts the server (again) on <see cref="Port"/> and waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(ServerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}.");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (Stopwatch.GetElapsedTime(started) < StartTimeout)
            {
                // Polling until it listens; redis-server without persistence is up within milliseconds.
                await Task.Delay(20);
            }
        }
    }

    /// <summary>Kills the server like a crash would, and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Runs <c>redis-cli</c> against this server and returns its trimmed output.</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(CliPath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            start.ArgumentList.Add("-a");
            start.ArgumentList.Add(Password);
            start.ArgumentList.Add("--no-auth-warning");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"redis-cli {string.Join(' ', arguments)} failed: {await error}");
        }

        return (await output).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
