using System.Diagnostics;
using OrderSystem.AppHost.Hosting;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// PostgreSQL from Debian's packages with its own data directory in the state folder (never the system cluster).
/// PostgreSQL refuses to run as root, so when the AppHost is root the data directory belongs to user <c>postgres</c>
/// and the server runs as that user.
/// </summary>
public sealed class PostgresRunner(RunnerContext context) : ResourceRunner(context)
{
    private const string ServiceUser = "postgres";

    public override async Task PrepareAsync(ResourceRuntime runtime, CancellationToken cancellationToken)
    {
        var server = (PostgresServerResource)runtime.Resource;
        var paths = Paths(server);
        Directory.CreateDirectory(paths.Socket);
        RemoveStaleLockFiles(paths);

        if (!File.Exists(Path.Combine(paths.Data, "PG_VERSION")))
        {
            runtime.Log.Write($"initialising a new cluster in {paths.Data}");
            Directory.CreateDirectory(paths.Data);
            var passwordFile = Path.Combine(paths.Root, "initdb-password");
            await File.WriteAllTextAsync(passwordFile, server.Password.Value, cancellationToken);
            try
            {
                await ChownIfRootAsync(paths.Root, cancellationToken);
                await RunToCompletionAsync(runtime, Binary("initdb"),
                    ["-D", paths.Data, "-U", PostgresServerResource.UserName, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8", "--locale=C", "--no-sync"],
                    cancellationToken);
            }
            finally
            {
                File.Delete(passwordFile);
            }
        }

        await ChownIfRootAsync(paths.Root, cancellationToken);
    }

    public override ProcessSpec CreateProcessSpec(ResourceRuntime runtime)
    {
        var server = (PostgresServerResource)runtime.Resource;
        var paths = Paths(server);
        string[] arguments =
        [
            "-D", paths.Data, "-k", paths.Socket, "-h", EndpointAnnotation.Loopback, "-p", server.PrimaryEndpoint.AllocatedPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Enough for every service's pool plus the dashboards and tools a person opens.
            "-c", "max_connections=300",
            "-c", "log_min_messages=warning",
        ];
        return AsServiceUser(Binary("postgres"), arguments, paths.Root) with { StopSignal = Posix.SIGINT };
    }

    public override Task<bool> CheckHealthAsync(ResourceRuntime runtime, CancellationToken cancellationToken) =>
        PostgresProbe.AcceptsSessionsAsync(((PostgresServerResource)runtime.Resource).GetConnectionString() + ";Database=postgres", cancellationToken);

    private string Binary(string name) => Path.Combine(Context.Programs.PostgresBinDirectory!, name);

    private (string Root, string Data, string Socket) Paths(PostgresServerResource server)
    {
        var root = Context.State.ResourceDirectory(server.Name);
        return (root, Path.Combine(root, "data"), Path.Combine(root, "run"));
    }

    /// <summary>After a crash PostgreSQL may leave its pid and socket lock files; they are stale once no postmaster runs.</summary>
    private static void RemoveStaleLockFiles((string Root, string Data, string Socket) paths)
    {
        var pidFile = Path.Combine(paths.Data, "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Posix.IsRunning(pid)
            && File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres")
        {
            throw new InvalidOperationException($"a PostgreSQL server (pid {pid}) is still running on {paths.Data}: stop it (kill -INT {pid}) and start again");
        }

        if (File.Exists(pidFile))
        {
            File.Delete(pidFile);
        }

        foreach (var lockFile in Directory.GetFiles(paths.Socket, ".s.PGSQL.*"))
        {
            File.Delete(lockFile);
        }
    }

    private static ProcessSpec AsServiceUser(string program, IReadOnlyList<string> arguments, string workingDirectory) =>
        Posix.IsRoot
            ? new ProcessSpec("setpriv", ["--reuid", ServiceUser, "--regid", ServiceUser, "--init-groups", "--", program, .. arguments], workingDirectory, new Dictionary<string, string>())
            : new ProcessSpec(program, arguments, workingDirectory, new Dictionary<string, string>());

    private static async Task ChownIfRootAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Posix.IsRoot)
        {
            return;
        }

        using var chown = Process.Start("chown", ["-R", $"{ServiceUser}:{ServiceUser}", directory]);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown of {directory} to user {ServiceUser} failed: is the postgresql package installed?");
        }
    }

    private static async Task RunToCompletionAsync(ResourceRuntime runtime, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var spec = AsServiceUser(program, arguments, Path.GetTempPath());
        await using var process = ManagedProcess.Start(spec, runtime.Log);
        var exitCode = await process.Exited.WaitAsync(cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} exited with code {exitCode}: {string.Join(" / ", runtime.Log.Tail(3))}");
        }
    }
}
