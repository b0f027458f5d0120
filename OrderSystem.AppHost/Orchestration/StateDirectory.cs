using Microsoft.Extensions.Configuration;

namespace OrderSystem.AppHost.Orchestration;

/// <summary>
/// The AppHost's git-ignored working folder, <c>.ordersystem/</c> at the repository root (or
/// <c>ORDERSYSTEM_STATE_DIR</c>): data directories, per-resource logs, pid files, generated secrets and endpoints.json.
/// </summary>
public sealed class StateDirectory
{
    public const string EnvironmentVariable = "ORDERSYSTEM_STATE_DIR";
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private StateDirectory(string root)
    {
        Root = root;
        Secrets = new SecretStore(Path.Combine(root, "secrets.json"));
    }

    public string Root { get; }

    public string LogsDirectory => Path.Combine(Root, "logs");

    public string PidsDirectory => Path.Combine(Root, "pids");

    public string EndpointsFile => Path.Combine(Root, "endpoints.json");

    public string LockFile => Path.Combine(Root, "apphost.lock");

    public SecretStore Secrets { get; }

    public static StateDirectory Locate(IConfiguration configuration)
    {
        var configured = configuration[EnvironmentVariable];
        var root = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(FindRepositoryRoot(), ".ordersystem")
            : Path.GetFullPath(configured);
        return new StateDirectory(root);
    }

    /// <summary>Creates the folders; traversable by others because PostgreSQL runs as user <c>postgres</c> when the AppHost is root.</summary>
    public void EnsureCreated()
    {
        foreach (var directory in new[] { Root, LogsDirectory, PidsDirectory })
        {
            Directory.CreateDirectory(directory);
        }

        File.SetUnixFileMode(Root, Traversable);
    }

    public string ResourceDirectory(string resourceName)
    {
        var directory = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(directory);
        return directory;
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "OrderSystem.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
