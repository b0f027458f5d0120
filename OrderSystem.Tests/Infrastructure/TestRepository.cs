using System.Reflection;

namespace OrderSystem.Tests.Infrastructure;

/// <summary>Where the repository and the build output the tests run against are.</summary>
public static class TestRepository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built with (Debug or Release); the AppHost and services were built alike.</summary>
    public static string Configuration { get; } = typeof(TestRepository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "BuildConfiguration").Value!;

    public static string OutputOf(string projectDirectory, string assemblyName) =>
        Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", assemblyName + ".dll");

    public static string AppHostAssembly => OutputOf("OrderSystem.AppHost", "OrderSystem.AppHost");

    /// <summary>The dotnet host running the tests, used to start the AppHost and services.</summary>
    public static string DotnetHost => Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet"
        ? path
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>A fresh folder that PostgreSQL (running as user postgres under root) can traverse.</summary>
    public static string CreateStateDirectory(string purpose)
    {
        var directory = Directory.CreateTempSubdirectory($"ordersystem-{purpose}-").FullName;
        File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        return directory;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OrderSystem.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OrderSystem.sln not found above " + AppContext.BaseDirectory);
    }
}
