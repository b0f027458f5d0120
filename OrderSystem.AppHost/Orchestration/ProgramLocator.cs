namespace OrderSystem.AppHost.Orchestration;

/// <summary>Finds the programs the local resources need and says which Debian package provides a missing one.</summary>
public sealed class ProgramLocator(Microsoft.Extensions.Configuration.IConfiguration configuration)
{
    public const string LibrdkafkaPath = "/usr/lib/x86_64-linux-gnu/librdkafka.so.1";

    /// <summary>The PostgreSQL server binaries: <c>Postgres:BinDirectory</c>, else the newest Debian install.</summary>
    public string? PostgresBinDirectory =>
        configuration["Postgres:BinDirectory"] is { Length: > 0 } configured
            ? configured
            : Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql")
                    .Select(version => Path.Combine(version, "bin"))
                    .Where(bin => File.Exists(Path.Combine(bin, "postgres")))
                    .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
                    .FirstOrDefault()
                : null;

    /// <summary>The dotnet host that runs the projects: the one running the AppHost.</summary>
    public string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : FindOnPath("dotnet") ?? "dotnet";

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Every missing prerequisite as "what (how to install it)"; empty when all are present.</summary>
    public IReadOnlyList<string> FindMissing()
    {
        var missing = new List<string>();
        if (PostgresBinDirectory is null)
        {
            missing.Add("PostgreSQL server (apt-get install postgresql)");
        }

        if (FindOnPath("redis-server") is null)
        {
            missing.Add("redis-server (apt-get install redis-server)");
        }

        if (!File.Exists(LibrdkafkaPath))
        {
            missing.Add("librdkafka (apt-get install librdkafka1)");
        }

        foreach (var program in Posix.IsRoot ? new[] { "setsid", "setpriv" } : ["setsid"])
        {
            if (FindOnPath(program) is null)
            {
                missing.Add($"{program} (apt-get install util-linux)");
            }
        }

        return missing;
    }
}
