using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Notifications;

/// <summary>
/// A throwaway PostgreSQL 15 server on a free port of 127.0.0.1, with its own data directory in a temporary folder
/// (never the system cluster), trust authentication for user <c>postgres</c> and fsync off. PostgreSQL refuses to run
/// as root, so under root the folder belongs to user postgres and initdb and the server run as that user.
/// </summary>
public sealed partial class TestPostgres : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";
    private const int SIGINT = 2;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    private readonly string _directory;
    private readonly ChildProcess _server;

    private TestPostgres(string directory, ChildProcess server, int port)
    {
        _directory = directory;
        _server = server;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TestPostgres> StartAsync(CancellationToken cancellationToken)
    {
        var directory = TestRepository.CreateStateDirectory("notifications-postgres");
        var data = Path.Combine(directory, "data");
        ChildProcess? server = null;
        try
        {
            await ChownToServiceUserAsync(directory, cancellationToken);
            await RunToCompletionAsync(
                "initdb", ["-D", data, "-U", ServiceUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"], directory, cancellationToken);

            var port = FreePort();
            server = StartAsServiceUser(
                "postgres",
                ["-D", data, "-k", directory, "-h", IPAddress.Loopback.ToString(), "-p", port.ToString(CultureInfo.InvariantCulture), "-c", "fsync=off"],
                directory);
            var postgres = new TestPostgres(directory, server, port);
            await postgres.WaitForConnectionsAsync(cancellationToken);
            return postgres;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = IPAddress.Loopback.ToString(), Port = Port, Username = ServiceUser, Database = database }.ConnectionString;

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.Exited.IsCompleted)
        {
            // Fast shutdown: SIGTERM would wait for every pooled client connection to close.
            _ = kill(_server.Pid, SIGINT);
            await Task.WhenAny(_server.Exited, Task.Delay(StopTimeout));
        }

        // Kills what did not stop in time.
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitForConnectionsAsync(CancellationToken cancellationToken)
    {
        await Eventually.WaitUntilAsync(
            async () =>
            {
                if (_server.Exited.IsCompleted)
                {
                    throw new InvalidOperationException($"postgres exited with code {_server.Exited.Result}:{Environment.NewLine}{_server.OutputText}");
                }

                try
                {
                    await using var connection = await OpenAdminConnectionAsync(cancellationToken);
                    return true;
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            },
            StartupTimeout,
            $"PostgreSQL to accept connections on port {Port}",
            TimeSpan.FromMilliseconds(50));
    }

    private async Task<NpgsqlConnection> OpenAdminConnectionAsync(CancellationToken cancellationToken)
    {
        // Unpooled, so no idle connection outlives the call.
        var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task RunToCompletionAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        await using var process = StartAsServiceUser(program, arguments, workingDirectory);
        var exitCode = await process.Exited.WaitAsync(StartupTimeout, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{program} exited with code {exitCode}:{Environment.NewLine}{process.OutputText}");
        }
    }

    private static ChildProcess StartAsServiceUser(string program, IReadOnlyList<string> arguments, string workingDirectory)
    {
        var path = Path.Combine(BinDirectory, program);
        return Environment.IsPrivilegedProcess
            ? ChildProcess.Start("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", path, .. arguments], NoEnvironment, workingDirectory)
            : ChildProcess.Start(path, arguments, NoEnvironment, workingDirectory);
    }

    private static async Task ChownToServiceUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Environment.IsPrivilegedProcess)
        {
            return;
        }

        await using var chown = ChildProcess.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory], NoEnvironment, directory);
        var exitCode = await chown.Exited.WaitAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"chown of {directory} to user {ServiceUser} failed (is the postgresql package installed?): {chown.OutputText}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
