using System.Text.Json;
using OrderSystem.LoadGenerator.Endpoints;

namespace OrderSystem.Benchmarks.OrderPath;

/// <summary>A system that is already up: its <c>endpoints.json</c>, found as the load generator finds it, and its AppHost.</summary>
public static class RunningSystem
{
    public static string FindEndpoints(string? path)
    {
        if (path is not null)
        {
            return File.Exists(path) ? Path.GetFullPath(path) : throw new FileNotFoundException($"--endpoints: {path} does not exist");
        }

        return EndpointsFileLocator.Find(Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable(EndpointsFileLocator.StateDirectoryVariable))
            ?? throw new FileNotFoundException("no running system: no .ordersystem/endpoints.json here or above (start one with ./run.sh, or leave out --running)");
    }

    /// <summary>A resource's connection string, which the AppHost writes into the file as <c>resources.{name}.connectionString</c>.</summary>
    public static string ConnectionString(string endpointsPath, string resource)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(endpointsPath));
        return document.RootElement.TryGetProperty("resources", out var resources)
            && resources.TryGetProperty(resource, out var entry)
            && entry.TryGetProperty("connectionString", out var connectionString)
            && connectionString.GetString() is { Length: > 0 } value
                ? value
                : throw new InvalidDataException($"{endpointsPath} has no {resource} connection string");
    }

    /// <summary>The AppHost's process id, which the AppHost writes into the file as <c>pid</c>.</summary>
    public static int AppHostPid(string endpointsPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(endpointsPath));
        return document.RootElement.TryGetProperty("pid", out var pid) && pid.TryGetInt32(out var value)
            ? value
            : throw new InvalidDataException($"{endpointsPath} names no AppHost pid");
    }
}
