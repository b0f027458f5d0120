using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using OrderSystem.Tests.Infrastructure;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL server from Debian's packages: a new cluster in a temporary folder, listening on a free
/// loopback port, fsync off. <see cref="DisposeAsync"/> stops it (fast shutdown) and deletes the folder. PostgreSQL
/// refuses to run as root, so under root the cluster belongs to user postgres and the server runs as that user.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string ServiceUser = "postgres";
    private const string SuperUser = "postgres";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly string _directory;
    private readonly string _binDirectory;
    private readonly ChildProcess _server;

    private PostgresServer(string directory, string binDirectory, int port, ChildProcess server)
    {
        _directory = directory;
        _binDirectory = binDirectory;
        Port = port;
        _server = server;
    }

    public int Port { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken)
    {
        var binDirectory = FindBinDirectory();
        var directory = TestRepository.CreateStateDirectory("postgres");
        PostgresServer? server = null;
        try
        {
            var data = Path.Combine(directory, "data");
            await ChownToServiceUserAsync(directory, cancellationToken);
            await RunToCompletionAsync(
                Path.Combine(binDirectory, "initdb"),
                ["-D", data, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                directory,
                cancellationToken);

            var port = PortAllocator.AllocateFreePort();
            var process = StartAsServiceUser(
                Path.Combine(binDirectory, "postgres"),
                ["-D", data, "-k", directory, "-h", IPAddress.Loopback.ToString(), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
                directory);
            server = new PostgresServer(directory, binDirectory, port, process);
            await server.WaitUntilAcceptingConnectionsAsync(cancellationToken);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
            else
            {
                Directory.Delete(directory, recursive: true);
            }

            throw;
        }
    }

    /// <summary>A connection string (Npgsql format, as Aspire injects it) for database <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = IPAddress.Loopback.ToString(),
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (lower case letters, digits, underscores).", nameof(name));
        }

        await using var connection = new NpgsqlConnection(AdministrationConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.Exited.IsCompleted)
        {
            // Fast shutdown (SIGINT): ends open sessions instead of waiting for clients' pools to let go.
            await RunToCompletionAsync(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"], _directory, CancellationToken.None);
            await _server.Exited.WaitAsync(StopTimeout);
        }

        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private string AdministrationConnectionString() =>
        new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false }.ConnectionString;

    private async Task WaitUntilAcceptingConnectionsAsync(CancellationToken cancellationToken) =>
        await Eventually.WaitUntilAsync(
            async () =>
            {
                if (_server.Exited.IsCompleted)
                {
                    throw new InvalidOperationException($"postgres exited with code {await _server.Exited}: {_server.OutputText}");
                }

                try
                {
                    await using var connection = new NpgsqlConnection(AdministrationConnectionString());
                    await connection.OpenAsync(cancellationToken);
                    return true;
                }
                catch (NpgsqlException)
                {
                    return false;
                }
            },
            StartTimeout,
            $"PostgreSQL to accept connections on port {Port}",
            TimeSpan.FromMilliseconds(50));

    private static string FindBinDirectory() =>
        (Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [])
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault()
        ?? throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql: apt-get install postgresql");

    private static ChildProcess StartAsServiceUser(string program, IReadOnlyList<string> arguments, string workingDirectory) =>
        Environment.IsPrivilegedProcess
            ? ChildProcess.Start("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", program, .. arguments], new Dictionary<string, string?>(), workingDirectory)
            : ChildProcess.Start(program, arguments, new Dictionary<string, string?>(), workingDirectory);

    private static Task RunToCompletionAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken) =>
        WaitForSuccessAsync(StartAsServiceUser(program, arguments, workingDirectory), Path.GetFileName(program), cancellationToken);

    private static async Task ChownToServiceUserAsync(string directory, CancellationToken cancellationToken)
    {
        if (Environment.IsPrivilegedProcess)
        {
            var chown = ChildProcess.Start("chown", [$"{ServiceUser}:{ServiceUser}", directory], new Dictionary<string, string?>(), directory);
            await WaitForSuccessAsync(chown, "chown", cancellationToken);
        }
    }

    private static async Task WaitForSuccessAsync(ChildProcess process, string name, CancellationToken cancellationToken)
    {
        await using (process)
        {
            var exitCode = await process.Exited.WaitAsync(StartTimeout, cancellationToken);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{name} exited with code {exitCode}: {process.OutputText}");
            }
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex DatabaseName();
}
